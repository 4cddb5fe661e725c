"""Consistency warnings on hand-made study bundles, one disagreement at a time, and on the
real raw tables (every warning points at a row that exists)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from metareview.checks import (
    QUOTED_COLUMNS,
    consistency_warnings,
    format_warning,
    locate,
    quote_signs,
    warnings_note,
)
from metareview.rawdata import load_schemas, read_raw, resolve_refs, study_bundle, study_bundles

REPO = Path(__file__).resolve().parents[2]
STUDY = "Demo2020"
VAS10 = {"instrument": "VAS_0_10", "label": "VAS 0-10", "outcome": "pain", "scale_min": 0.0, "scale_max": 10.0,
         "lower_is_better": True}
HFAQ = {"instrument": "HFAQ_0_100", "label": "HFAQ", "outcome": "disability", "scale_min": 0.0,
        "scale_max": 100.0, "lower_is_better": False}
NORANGE = {"instrument": "VAS_unknown", "label": "VAS", "outcome": "pain", "lower_is_better": True}


def bundle(*, arms: list[dict[str, Any]] | None = None, arm_outcomes: list[dict[str, Any]] = (),
           contrasts: list[dict[str, Any]] = (), instruments: list[dict[str, Any]] = (VAS10,)) -> dict[str, Any]:
    """A study bundle shaped like :func:`metareview.rawdata.study_bundle`'s, refs included."""
    arms = arms if arms is not None else [{"arm_id": "a", "treatment": "acupuncture"},
                                          {"arm_id": "b", "treatment": "usual_care"}]

    def tag(table: str, rows: Any) -> list[dict[str, Any]]:
        return [dict(r, study_id=STUDY, _ref=f"{table}.csv:{STUDY}#{i}") for i, r in enumerate(rows, start=1)]

    return {"study": {"study_id": STUDY}, "arms": tag("arms", arms), "arm_outcomes": tag("arm_outcomes", arm_outcomes),
            "contrasts": tag("contrasts", contrasts), "statements": [], "risk_of_bias": [],
            "instruments": list(instruments), "treatments": [], "sources": []}


def arm_row(arm: str, mean: float, sd: float | None = None, n: int | None = None, *, value_type: str = "final",
            instrument: str = "VAS_0_10", weeks: float | None = 8, **extra: Any) -> dict[str, Any]:
    row = {"arm_id": arm, "outcome": "pain", "instrument": instrument, "timepoint_weeks": weeks,
           "value_type": value_type, "mean": mean, "confidence": "high", **extra}
    if sd is not None:
        row["sd"] = sd
    if n is not None:
        row["n"] = n
    return quoted({k: v for k, v in row.items() if v is not None})


def quoted(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with a quote that prints its values (unless it has one)."""
    numbers = [repr(row[c]) for c in QUOTED_COLUMNS if isinstance(row.get(c), (int, float))]
    return {"quote": "values " + ", ".join(numbers), **row}


def contrast(measure: str, estimate: float | None, *, sign: str = "arm1_minus_arm2", weeks: float | None = 8,
             instrument: str = "VAS_0_10", value_type: str = "final", **extra: Any) -> dict[str, Any]:
    row = {"arm1": "a", "arm2": "b", "outcome": "pain", "instrument": instrument, "timepoint_weeks": weeks,
           "value_type": value_type, "measure": measure, "estimate": estimate, "sign_convention": sign,
           "confidence": "high", **extra}
    return quoted({k: v for k, v in row.items() if v is not None})


def checks_of(b: dict[str, Any]) -> list[str]:
    return [w["check"] for w in consistency_warnings(b)]


def pooled_d(m1: float, s1: float, n1: int, m2: float, s2: float, n2: int) -> float:
    return (m1 - m2) / math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2))


# --------------------------------------------------------------------------- reported d


ARMS_D = [arm_row("a", 3.0, 2.0, 30), arm_row("b", 5.0, 2.4, 32)]
D_TRUE = pooled_d(3.0, 2.0, 30, 5.0, 2.4, 32)  # arm1 - arm2, negative: arm a has less pain


def test_a_d_matching_the_arms_gives_no_warning() -> None:
    assert D_TRUE < -0.5
    assert consistency_warnings(bundle(arm_outcomes=ARMS_D, contrasts=[contrast("cohen_d", round(D_TRUE, 2))])) == []


def test_a_d_far_from_the_arms_is_reported_with_both_rows() -> None:
    b = bundle(arm_outcomes=ARMS_D, contrasts=[contrast("cohen_d", -1.6)])
    [w] = consistency_warnings(b)
    assert w["check"] == "d_disagrees_with_arms"
    assert (w["ref"], w["file"], w["column"]) == (f"contrasts.csv:{STUDY}#1", "contrasts.csv", "estimate")
    assert w["related"] == [f"arm_outcomes.csv:{STUDY}#1", f"arm_outcomes.csv:{STUDY}#2"]
    assert "expected" in w["message"] and "found" in w["message"]
    assert f"{D_TRUE:.4g}" in w["message"] and "-1.6" in w["message"]


@pytest.mark.parametrize("offset, warns", [(0.19, False), (0.21, True), (-0.19, False), (-0.21, True)])
def test_the_d_tolerance_is_point_one_plus_ten_percent(offset: float, warns: bool) -> None:
    # means 1 and 0 with SD 1 in both arms: d = 1 exactly, so the tolerance is 0.2
    arms = [arm_row("a", 1.0, 1.0, 10), arm_row("b", 0.0, 1.0, 10)]
    b = bundle(arm_outcomes=arms, contrasts=[contrast("cohen_d", 1.0 + offset)])
    assert checks_of(b) == (["d_disagrees_with_arms"] if warns else [])


def test_an_smd_is_compared_with_hedges_g() -> None:
    n1 = n2 = 3  # small arms: J = 1 - 3 / 15 moves d by 20 %
    d = pooled_d(2.0, 1.0, n1, 0.0, 1.0, n2)
    g = d * (1 - 3 / (4 * (n1 + n2) - 9))
    arms = [arm_row("a", 2.0, 1.0, n1), arm_row("b", 0.0, 1.0, n2)]
    assert checks_of(bundle(arm_outcomes=arms, contrasts=[contrast("SMD", round(g, 3))])) == []
    assert d - g > 0.1 + 0.1 * g  # the uncorrected d as an SMD is beyond the tolerance
    assert checks_of(bundle(arm_outcomes=arms, contrasts=[contrast("SMD", d + 0.05)])) == ["d_disagrees_with_arms"]
    assert checks_of(bundle(arm_outcomes=arms, contrasts=[contrast("cohen_d", round(d, 3))])) == []


@pytest.mark.parametrize("sign, reported, warns", [
    ("arm1_minus_arm2", D_TRUE, False),
    ("arm1_minus_arm2", -D_TRUE, True),
    ("arm2_minus_arm1", -D_TRUE, False),
    ("arm2_minus_arm1", D_TRUE, True),
    # lower is better and arm a has less pain: a positive value favouring arm1 is -d
    ("positive_favours_arm1", -D_TRUE, False),
    ("positive_favours_arm1", D_TRUE, True),
    ("positive_favours_arm2", D_TRUE, False),
    ("positive_favours_arm2", -D_TRUE, True),
    # no orientation: sizes only
    ("unclear", -D_TRUE, False),
    ("unclear", D_TRUE, False),
    ("unclear", 2 * D_TRUE, True),
])
def test_the_reported_d_is_oriented_by_its_sign_convention(sign: str, reported: float, warns: bool) -> None:
    b = bundle(arm_outcomes=ARMS_D, contrasts=[contrast("cohen_d", reported, sign=sign)])
    ws = consistency_warnings(b)
    assert [w["check"] for w in ws] == (["d_disagrees_with_arms"] if warns else [])
    if warns and sign != "unclear":
        assert "signs do not" in ws[0]["message"]


def test_higher_is_better_instruments_flip_what_favours_means() -> None:
    arms = [arm_row("a", 60.0, 10.0, 20, instrument="HFAQ_0_100"), arm_row("b", 50.0, 10.0, 20, instrument="HFAQ_0_100")]
    d = pooled_d(60, 10, 20, 50, 10, 20)  # +1: arm a functions better
    ok = bundle(arm_outcomes=arms, instruments=[HFAQ],
                contrasts=[contrast("cohen_d", d, sign="positive_favours_arm1", instrument="HFAQ_0_100")])
    bad = bundle(arm_outcomes=arms, instruments=[HFAQ],
                 contrasts=[contrast("cohen_d", d, sign="positive_favours_arm2", instrument="HFAQ_0_100")])
    assert checks_of(ok) == [] and checks_of(bad) == ["d_disagrees_with_arms"]


def test_change_scores_written_as_decreases() -> None:
    # Both arms report the decrease as a positive number: arm a improved by 3, arm b by 1.
    arms = [arm_row("a", 3.0, 2.0, 25, value_type="change", change_sign="decrease_positive"),
            arm_row("b", 1.0, 2.0, 25, value_type="change", change_sign="decrease_positive")]
    d = pooled_d(3, 2, 25, 1, 2, 25)  # +1 in the numbers as written
    favours_a = contrast("cohen_d", d, sign="positive_favours_arm1", value_type="change")
    favours_b = contrast("cohen_d", d, sign="positive_favours_arm2", value_type="change")
    assert checks_of(bundle(arm_outcomes=arms, contrasts=[favours_a])) == []
    assert checks_of(bundle(arm_outcomes=arms, contrasts=[favours_b])) == ["d_disagrees_with_arms"]
    # One arm signed the other way round is put in the first arm's convention: the d agrees
    # (the rows' mixed signs are asked about on their own, change_sign_differs).
    mixed = [arms[0], arm_row("b", -1.0, 2.0, 25, value_type="change", change_sign="decrease_negative")]
    assert checks_of(bundle(arm_outcomes=mixed, contrasts=[favours_a])) == ["change_sign_differs"]


def test_d_needs_arm_rows_at_the_same_timepoint_and_instrument() -> None:
    far = contrast("cohen_d", 5.0)
    # (Arms at different weeks only are asked about on their own, weeks_unpaired.)
    assert "d_disagrees_with_arms" not in checks_of(bundle(arm_outcomes=[ARMS_D[0], arm_row("b", 5.0, 2.4, 32, weeks=26)],
                                                           contrasts=[far]))
    assert checks_of(bundle(arm_outcomes=[ARMS_D[0]], contrasts=[far])) == []
    assert checks_of(bundle(arm_outcomes=ARMS_D, contrasts=[contrast("cohen_d", 5.0, instrument="NRS_0_10")],
                            instruments=[VAS10, dict(VAS10, instrument="NRS_0_10")])) == []
    assert checks_of(bundle(arm_outcomes=ARMS_D, contrasts=[far])) == ["d_disagrees_with_arms"]


def test_an_unknown_value_type_is_checked_against_final_and_change_rows() -> None:
    arms = [*ARMS_D, arm_row("a", -2.0, 1.0, 30, value_type="change", change_sign="decrease_negative"),
            arm_row("b", -0.5, 1.0, 32, value_type="change", change_sign="decrease_negative")]
    d_change = pooled_d(-2.0, 1.0, 30, -0.5, 1.0, 32)
    for reported in (D_TRUE, d_change):  # either pair may have produced it
        assert checks_of(bundle(arm_outcomes=arms, contrasts=[contrast("cohen_d", reported, value_type="unknown")])) == []
    assert checks_of(bundle(arm_outcomes=arms, contrasts=[contrast("cohen_d", 0.3, value_type="unknown")])) == [
        "d_disagrees_with_arms"]
    # A contrast of final values is not compared with change rows.
    assert checks_of(bundle(arm_outcomes=arms, contrasts=[contrast("cohen_d", d_change, value_type="final")])) == [
        "d_disagrees_with_arms"]


def test_the_sd_can_come_from_se_and_n_and_n_from_the_arms_table() -> None:
    arms_table = [{"arm_id": "a", "treatment": "x", "n_randomised": 30}, {"arm_id": "b", "treatment": "y",
                                                                          "n_analysed": 32}]
    rows = [arm_row("a", 3.0, None, None, se=2.0 / math.sqrt(30)), arm_row("b", 5.0, 2.4)]
    assert checks_of(bundle(arms=arms_table, arm_outcomes=rows, contrasts=[contrast("cohen_d", D_TRUE)])) == []
    assert checks_of(bundle(arms=arms_table, arm_outcomes=rows, contrasts=[contrast("cohen_d", -2.0)])) == [
        "d_disagrees_with_arms"]
    # Neither SD nor n: nothing to recompute.
    bare = [arm_row("a", 3.0, None, None, se=0.4), arm_row("b", 5.0, 2.4)]
    assert checks_of(bundle(arm_outcomes=bare, contrasts=[contrast("cohen_d", -9.0)])) == []


# --------------------------------------------------------------------------- intervals


@pytest.mark.parametrize("measure, est, lb, ub, expected", [
    ("MD", -2.0, -3.0, -1.0, []),
    ("MD", 0.5, 0.1, 1.5, ["ci_not_centred"]),
    ("MD", 2.05, 1.05, 4.05, ["ci_not_centred"]),
    ("MD", 2.0, 1.0, 4.0, []),  # printed as whole numbers, rounding could explain it
    ("RR", 1.5, 0.75, 3.0, []),  # symmetric on the log scale
    ("MD", 1.5, 0.75, 3.0, ["ci_not_centred"]),  # the same numbers as a difference are not
    ("OR", 2.01, 1.01, 3.01, ["ci_not_centred"]),  # symmetric on the ratio scale is not
    ("SMD", -0.9, -0.5, -0.2, ["estimate_outside_ci"]),
    ("MD", -2.3, -2.8, -1.9, []),  # off by 0.05: one printed decimal explains it
    ("MD", -2.31, -2.85, -1.90, ["ci_not_centred"]),  # two decimals do not
    ("p_only", None, None, None, []),
])
def test_contrast_intervals_are_centred_on_the_analysis_scale(measure: str, est: float | None, lb: float | None,
                                                               ub: float | None, expected: list[str]) -> None:
    extra = {"p_value": 0.01} if measure == "p_only" else {}
    b = bundle(contrasts=[contrast(measure, est, ci_lb=lb, ci_ub=ub, **extra)])
    ws = consistency_warnings(b)
    assert [w["check"] for w in ws] == expected
    for w in ws:
        assert w["file"] == "contrasts.csv" and "expected" in w["message"] and "found" in w["message"]


def test_an_interval_in_a_warning_is_written_as_the_report_writes_intervals() -> None:
    # The report writes "(−0.5 to −0.2)" everywhere; "[−0.5, −0.2]" in its table of
    # warnings was the one place it did not.
    [w] = consistency_warnings(bundle(contrasts=[contrast("SMD", -0.9, ci_lb=-0.5, ci_ub=-0.2)]))
    assert w["message"].endswith("found -0.9 outside (-0.5 to -0.2)"), w["message"]


def test_arm_level_intervals_are_checked_too() -> None:
    rows = [arm_row("a", -4.33, ci_lb=-6.36, ci_ub=-2.30, value_type="change", change_sign="decrease_negative"),
            arm_row("b", -2.9, ci_lb=-5.5, ci_ub=-2.0, value_type="change", change_sign="decrease_negative")]
    ws = consistency_warnings(bundle(arm_outcomes=rows))
    assert [(w["check"], w["ref"]) for w in ws] == [("ci_not_centred", f"arm_outcomes.csv:{STUDY}#2")]


# --------------------------------------------------------------------------- participants


def test_contrast_arm_sizes_past_the_total() -> None:
    [w] = consistency_warnings(bundle(contrasts=[contrast("MD", -1.0, n1=60, n2=70, n_total=120)]))
    assert (w["check"], w["column"]) == ("n_exceeds_total", "n_total")
    assert "130" in w["message"] and "120" in w["message"]
    assert checks_of(bundle(contrasts=[contrast("MD", -1.0, n1=60, n2=60, n_total=120)])) == []


def test_arm_rows_past_the_contrast_total() -> None:
    rows = [arm_row("a", 3.0, 2.0, 70), arm_row("b", 5.0, 2.0, 60), arm_row("a", 3.0, 2.0, 40, weeks=26)]
    b = bundle(arm_outcomes=rows, contrasts=[contrast("MD", -2.0, n_total=124)])
    [w] = consistency_warnings(b)
    assert w["check"] == "n_exceeds_total" and w["related"] == [f"arm_outcomes.csv:{STUDY}#1",
                                                                f"arm_outcomes.csv:{STUDY}#2"]
    # At another timepoint the same arms are not compared with this total.
    assert checks_of(bundle(arm_outcomes=rows, contrasts=[contrast("MD", -2.0, n_total=124, weeks=4)])) == []


def test_more_analysed_than_randomised() -> None:
    arms = [{"arm_id": "a", "treatment": "x", "n_randomised": 50}, {"arm_id": "b", "treatment": "y", "n_randomised": 50}]
    b = bundle(arms=arms, contrasts=[contrast("MD", -1.0, n1=45, n2=50), contrast("MD", -1.0, n_total=110, weeks=26)])
    ws = consistency_warnings(b)
    got = {(w["check"], w["ref"], w["column"]) for w in ws}
    assert got == {("total_exceeds_randomised", f"contrasts.csv:{STUDY}#2", "n_total")}


def test_attrition_is_not_a_warning() -> None:
    # 160 + 81 randomised, 213 analysed at 12 months: the York trial's numbers.
    arms = [{"arm_id": "a", "treatment": "x", "n_randomised": 160}, {"arm_id": "b", "treatment": "y", "n_randomised": 81}]
    assert checks_of(bundle(arms=arms, contrasts=[contrast("MD", -5.0, n_total=213, instrument="VAS_unknown")],
                            instruments=[NORANGE])) == []


# --------------------------------------------------------------------------- percentages


def test_percent_and_counts_must_agree() -> None:
    ok = arm_row("a", None, n=387, value_type="percent_responders", events=184, percent=47.5)
    off = arm_row("a", None, n=387, value_type="percent_responders", events=184, percent=52.0)
    assert checks_of(bundle(arm_outcomes=[ok])) == []
    [w] = consistency_warnings(bundle(arm_outcomes=[off]))
    assert (w["check"], w["column"]) == ("percent_disagrees_with_counts", "percent") and "47.5" in w["message"]


# --------------------------------------------------------------------------- output


def test_format_and_locate() -> None:
    b = bundle(contrasts=[contrast("MD", 3.05, ci_lb=1.05, ci_ub=4.05)])
    [w] = consistency_warnings(b)
    assert format_warning(w).startswith(f"contrasts.csv:{STUDY}#1, column 'ci_lb': expected")
    rows = {w["ref"]: ("contrasts.csv", 17)}
    assert format_warning(w, rows).startswith(f"contrasts.csv, row 17 ({STUDY}#1), column 'ci_lb': expected")
    # A row of another table, and a reference that only begins like another (#1 in #12).
    related = {"ref": w["ref"], "column": "n", "related": ["arms.csv:X#1"],
               "message": "see arms.csv:X#1 and arms.csv:X#12"}
    assert format_warning(related, {w["ref"]: ("contrasts.csv", 17), "arms.csv:X#1": ("arms.csv", 5)}).endswith(
        "see arms.csv row 5 and arms.csv:X#12")
    assert locate([w], rows)[0]["row"] == 17 and locate([w], {})[0]["row"] is None
    assert "row" not in w


def test_an_empty_bundle_has_nothing_to_say() -> None:
    assert consistency_warnings(bundle()) == []
    assert consistency_warnings({"study": {"study_id": "X"}}) == []


def test_the_real_tables_give_locatable_json_ready_warnings() -> None:
    data = read_raw(REPO / "data" / "raw", REPO / "config" / "schemas" / "raw")
    schemas = load_schemas(REPO / "config" / "schemas" / "raw")
    rows = resolve_refs(data)
    for study in data.study_ids:
        b = json.loads(json.dumps(study_bundle(data, study)))  # what the job receives
        ws = consistency_warnings(b)
        assert ws == consistency_warnings(b)  # deterministic
        for w in ws:
            assert w["ref"] in rows, w
            table = w["file"].removesuffix(".csv")
            assert w["column"] in schemas[table]["properties"], w
            assert all(r in rows for r in w["related"]), w
            assert json.loads(json.dumps(w)) == w


def test_repeated_results_across_studies_are_grouped() -> None:
    from metareview.checks import repeated_results

    def doc(sid: str, *results: tuple[str, float | None, float | None, float | None]) -> dict[str, Any]:
        return {"study": {"study_id": sid, "label": f"{sid} et al."},
                "contrasts": [{"ref": f"contrasts.csv:{sid}#{i}", "measure": m,
                               "reported": {"estimate": e, "ci_lb": lb, "ci_ub": ub}}
                              for i, (m, e, lb, ub) in enumerate(results, 1)]}

    studies = [doc("Yuan", ("SMD", -0.47, -0.77, -0.17), ("SMD", -0.47, -0.77, -0.17)),
               doc("Acup", ("SMD", -0.47, -0.77, -0.17)),
               doc("Mu", ("MD", -0.47, -0.77, -0.17)),  # another measure: not the same result
               doc("Lam", ("SMD", -0.47, -0.77, None)),  # no upper bound: not compared
               doc("Lee", ("SMD", -0.33, -0.52, -0.15))]
    assert repeated_results(studies) == [[("Yuan et al.", "contrasts.csv:Yuan#1"),
                                          ("Acup et al.", "contrasts.csv:Acup#1")]]
    assert repeated_results(studies[:1]) == []  # one study printing a result twice


def test_a_trial_entered_twice_under_two_ids_is_found_by_its_arm_values() -> None:
    # Novak2024 and NovakH2024: the same trial typed in twice, its medians at weeks 4 and
    # 12 alike. Every analysis would count it twice; the check names the two once.
    from metareview.checks import repeated_arm_values

    def doc(sid: str, arms: dict[str, list[tuple[float, dict[str, float]]]], instrument: str = "NRS_0_10") -> dict:
        rows = [{"arm_id": arm, "outcome": "pain", "instrument": instrument, "timepoint_weeks": weeks,
                 "timepoint_label": None, "value_type": "final", "raw": raw}
                for arm, points in arms.items() for weeks, raw in points]
        return {"study": {"study_id": sid, "label": f"{sid} et al."},
                "arm_values": [{**r, "ref": f"arm_outcomes.csv:{sid}#{i}"} for i, r in enumerate(rows, 1)]}

    novak = {"dn": [(4, {"n": 40, "median": 3.5, "q1": 2.0, "q3": 5.0}), (12, {"n": 40, "median": 3.0, "q1": 2.0, "q3": 5.0})],
             "acu": [(4, {"n": 39, "median": 4.0, "q1": 3.0, "q3": 6.0}), (12, {"n": 39, "median": 4.0, "q1": 2.5, "q3": 5.5})]}
    # The other arm's ids, in another order: the numbers are what is compared.
    twin = {"x": novak["acu"][::-1], "y": novak["dn"]}
    studies = [doc("Novak", novak), doc("NovakH", twin)]
    # Named at their first timepoint, week 4 (Novak's first row, NovakH's second).
    assert repeated_arm_values(studies) == [[("Novak et al.", "arm_outcomes.csv:Novak#1"),
                                             ("NovakH et al.", "arm_outcomes.csv:NovakH#2")]]
    # One arm alike, the other not: two trials can share an arm's numbers by chance.
    other = {"dn": novak["dn"], "acu": [(4, {"n": 39, "median": 4.5, "q1": 3.0, "q3": 6.0}),
                                        (12, {"n": 39, "median": 4.5, "q1": 2.5, "q3": 5.5})]}
    assert repeated_arm_values([doc("Novak", novak), doc("Other", other)]) == []
    # The same numbers on another instrument are another result.
    assert repeated_arm_values([doc("Novak", novak), doc("Vas", novak, instrument="VAS_0_10")]) == []


@pytest.mark.parametrize(
    ("label", "weeks", "fits"),
    [
        ("6 months", 26, True),
        ("6 months", 24, True),  # a month taken as 4 weeks
        ("6-month follow-up", 6, False),
        ("two-month follow-up", 8, True),
        ("12 months", 52, True),
        ("12 months", 12, False),
        ("week 6", 6, True),
        ("week 12 (end of treatment)", 12, True),
        ("12 weeks post-randomisation", 12, True),
        ("3-month follow-up", 13, True),
        ("8 wk", 12, False),
        ("6 mo", 26, True),
        ("1 yr", 52, True),
        ("1 year", 48, True),  # as 12 months may be
        ("14 days", 2, True),
        ("day 56", 8, True),  # 56 / 7 weeks
        ("day 56", 56, False),  # the days typed as weeks
        ("Day-28 visit", 4, True),
        ("twenty four weeks", 24, True),
        # As trial reports word them: numbers in words, hyphenated, abbreviated. A month is
        # 4 to 4.345 weeks (365.25 / 12 / 7) and a year 48 to 52.18, each +- half a week.
        ("one year", 52, True),
        ("one year", 26, False),
        ("twelve months", 48, True),
        ("twelve months", 12, False),
        ("12-month", 52, True),
        ("1-year follow-up", 52, True),
        ("1-year follow-up", 1, False),
        ("six-week", 6, True),
        ("six-week", 26, False),
        ("12 wk", 12, True),
        ("3 mo.", 13, True),
        ("3 mo.", 3, False),
        ("Twelve-Month Follow-up", 52, True),
        ("thirteen weeks", 13, True),
        ("thirteen weeks", 3, False),
        ("sixteen weeks", 16, True),
        ("twenty weeks", 20, True),
        ("twenty-one weeks", 21, True),  # the whole number, not its "one"
        ("twenty-one weeks", 1, False),
        ("twenty-two months", 96, True),  # 22 * 4.345 + 0.5 = 96.09
        ("nineteen days", 19 / 7, True),
        ("fifteen months", 65, True),  # 15 * 4.345 + 0.5 = 65.675
        ("fifteen months", 66, False),
        ("week twenty", 20, True),
        # A visit numbered within a course is that visit's time: month 3 (11.485 to 13.535).
        ("month 3 of 12", 13, True),
        ("month 3 of 12", 52, False),
    ],
)
def test_a_timepoint_label_s_one_duration_bounds_its_weeks(label: str, weeks: float, fits: bool) -> None:
    from metareview.checks import timepoint_label_weeks

    _, low, high = timepoint_label_weeks(label)
    assert (low <= weeks <= high) is fits


@pytest.mark.parametrize(
    "label",
    [
        "baseline",
        "2 weeks after the end of the 6-week treatment",  # two durations: 8 weeks from both
        "1-month independent assessment (after the 8-week course)",
        "<6 weeks",  # bounds, not the time of measurement
        "up to 3 months",
        "at least 6 months",
        "6 weeks or less",
        "immediately (<=1 week) after intervention",
        "12-24 weeks",  # ranges
        "6 to 12 months",
        "3 or 6 months",
        "6 \u00b1 1 weeks",
        "1 week after intervention",  # counted from the end of treatment
        "3 months after treatment",
        "6 months following the last session",
        "six to twelve months",  # ranges and alternatives in words
        "one or two years",
        "three-six months",
        "session 3 of 12 weeks",  # the course's length, not the time of the session
        "visit three of twelve weeks",
        "thirty-six months",  # numbers not read, nor their last word
        "one hundred and four weeks",
        "seventy two weeks",
        "twelve",  # a number without a unit
        "first year",  # words for a time that name no count
        "half a year",
        "someone year",  # a number word inside another word
    ],
)
def test_a_label_without_one_duration_since_randomisation_is_not_checked(label: str) -> None:
    from metareview.checks import timepoint_label_weeks

    assert timepoint_label_weeks(label) is None


def test_weeks_that_disagree_with_their_label_are_warned_about() -> None:
    # A 6-month follow-up typed as 6 weeks: a warning on the row, not an error (a label
    # may count from something the check cannot see).
    bundle = {"arm_outcomes": [{"_ref": "arm_outcomes.csv:S#1", "arm_id": "a", "value_type": "final",
                                "instrument": "VAS", "timepoint_weeks": 6.0, "timepoint_label": "6-month follow-up"},
                               {"_ref": "arm_outcomes.csv:S#2", "arm_id": "a", "value_type": "final",
                                "instrument": "VAS", "timepoint_weeks": 26.0, "timepoint_label": "6 months"}],
              "contrasts": [], "arms": [], "instruments": []}
    (w,) = [w for w in consistency_warnings(bundle) if w["check"] == "weeks_disagree_with_label"]
    assert (w["ref"], w["column"]) == ("arm_outcomes.csv:S#1", "timepoint_weeks")
    assert w["message"] == ("expected weeks matching timepoint_label '6-month follow-up' (6-month: 23.4 to 26.6 "
                            "weeks), found 6")


def test_weeks_are_held_to_a_label_in_words_and_not_to_part_of_a_number() -> None:
    def rows(*cells: tuple[float, str]) -> dict[str, Any]:
        return {"arm_outcomes": [{"_ref": f"arm_outcomes.csv:S#{i}", "arm_id": "a", "value_type": "final",
                                  "instrument": "VAS", "timepoint_weeks": weeks, "timepoint_label": label}
                                 for i, (weeks, label) in enumerate(cells, start=1)],
                "contrasts": [], "arms": [], "instruments": []}

    def warned(bundle: dict[str, Any]) -> list[str]:
        return [w["ref"] for w in consistency_warnings(bundle) if w["check"] == "weeks_disagree_with_label"]

    # A one-year follow-up typed as 1 week; twelve months typed as 12 weeks.
    assert warned(rows((1.0, "one-year follow-up"), (12.0, "twelve months"), (52.0, "twelve months"))) == [
        "arm_outcomes.csv:S#1", "arm_outcomes.csv:S#2"]
    # 21 weeks are what "twenty-one weeks" says, 156 what "thirty-six months" may say: no
    # warning about their last word's 1 week or 6 months.
    assert warned(rows((21.0, "twenty-one weeks"), (156.0, "thirty-six months"), (26.0, "six to twelve months"))) == []


def test_the_end_of_a_build_shows_new_warnings_in_full() -> None:
    now = {"k1": "A: row 9: expected x, found y", "k2": "B: row 4: expected z, found w"}
    assert warnings_note({}, None) == ""
    assert warnings_note({}, {}) == ""
    # The last warning fixed is said too, not met with silence.
    assert warnings_note({}, {"k3": "C"}) == ("No consistency warning on the raw numbers: the last build's one "
                                              "warning is no longer raised (What changed names it).")
    assert warnings_note({}, {"k3": "C", "k4": "D"}).endswith("2 warnings are no longer raised (What changed names them).")
    assert warnings_note(now, None) == ("2 consistency warnings on the raw numbers: see the report's table of "
                                        "consistency warnings.")
    assert "none new since the last build" in warnings_note(now, dict(now))
    assert warnings_note(now, {**now, "k3": "C"}).startswith(
        "2 consistency warnings on the raw numbers, none new since the last build; 1 of the last build's no longer "
        "raised (What changed names it): see")
    note = warnings_note(now, {"k1": "A: row 8: expected x, found y"})
    assert note.splitlines() == [("2 consistency warnings on the raw numbers, 1 new since the last build (all in "
                                  "the report's table of consistency warnings):"), "  - B: row 4: expected z, found w"]
    many = {f"k{i}": f"warning {i}" for i in range(8)}
    assert warnings_note(many, {}, limit=5).splitlines()[-1] == "  ... and 3 more"
    # A GRADE rating the report's facts question is no warning on the raw numbers.
    graded = {"grade_flag a1 imprecision": "A1: imprecision rated not serious (GRADE), but ..."}
    assert warnings_note({**now, **graded}, None).startswith(
        "2 consistency warnings on the raw numbers and 1 on a GRADE rating: see")
    assert warnings_note(graded, None).startswith("1 consistency warning on a GRADE rating: see")
    # The same rating of an analysis renamed (its id alone changed in the config): the
    # warning the last build raised, as What changed reads it, not a new one.
    was = {"grade_flag a0 imprecision": graded["grade_flag a1 imprecision"]}
    assert "1 new since the last build" in warnings_note(graded, was)
    assert "none new since the last build" in warnings_note(graded, was, renamed_analyses={"a0": "a1"})


def test_a_warning_on_a_renamed_study_s_row_is_the_one_the_last_build_raised() -> None:
    # Kwon2007 renamed Kwon2008 (and Lee renamed Kwon2007, an id freed by the first):
    # "1 new; 1 no longer raised (What changed names it)" said of a warning on the same
    # row, which What changed, reading the study as renamed, does not name.
    from metareview.checks import renamed_key

    was = {"value_not_in_quote contrasts.csv:Kwon2007#2 estimate": "Kwon et al. (2007): row 33",
           "sd_out_of_range arm_outcomes.csv:Lee#1 sd": "Lee: row 9",
           "value_not_in_quote contrasts.csv:Kwon2007b#1 estimate": "Kwon (2007b): row 34"}
    now = {"value_not_in_quote contrasts.csv:Kwon2008#2 estimate": "Kwon et al. (2008): row 33",
           "sd_out_of_range arm_outcomes.csv:Kwon2007#1 sd": "Kwon et al. (2007): row 9",
           "value_not_in_quote contrasts.csv:Kwon2007b#1 estimate": "Kwon (2007b): row 34"}
    renamed = {"Kwon2007": "Kwon2008", "Lee": "Kwon2007"}
    assert [renamed_key(k, renamed) for k in was] == list(now)
    assert warnings_note(now, was, renamed=renamed) == (
        "3 consistency warnings on the raw numbers, none new since the last build: see the report's table of "
        "consistency warnings.")
    # Without it, as before: both read as new, and the last build's as settled.
    assert warnings_note(now, was).startswith("3 consistency warnings on the raw numbers, 2 new since the last "
                                              "build; 2 of the last build's no longer raised")


# --------------------------------------------------------------------------- the quote


def test_a_value_the_quote_does_not_print_is_warned_about_once_per_row() -> None:
    # Furlan 2005's row: the quote gives k and N only, the estimate came from elsewhere.
    row = contrast("SMD", -0.95, ci_lb=-1.27, ci_ub=-0.63, quote="Furlan et al. (2005) [29]3 (173)")
    [w] = consistency_warnings(bundle(contrasts=[row]))
    assert (w["check"], w["column"]) == ("value_not_in_quote", "estimate")
    assert "(estimate -0.95, ci_lb -1.27, ci_ub -0.63)" in w["message"]
    # An SD edited from 2.0 to 2.6 with the quote left as it was.
    edited = arm_row("a", 3.4, 2.6, 38, quote="DN 3.4 (2.0), n = 38")
    [w] = consistency_warnings(bundle(arm_outcomes=[edited]))
    assert w["column"] == "sd" and "(sd 2.6)" in w["message"]


def test_an_sd_not_in_a_quote_that_gives_a_ci_is_said_to_be_perhaps_its_half_width() -> None:
    # 3.1 (95% CI 2.5 to 3.7) entered as sd 0.6: the interval's half-width, not an SD.
    row = arm_row("a", 3.1, 0.6, 32, quote="DN 3.1 (95% CI 2.5 to 3.7), n = 32")
    [w] = consistency_warnings(bundle(arm_outcomes=[row]))
    assert (w["check"], w["column"]) == ("value_not_in_quote", "sd")
    assert w["message"].endswith(
        "found no such number; the quote gives a 95% CI: sd 0.6 may be its half-width, so enter the interval in "
        "ci_lb and ci_ub, its level in ci_level, and leave sd empty: check the cells against the source, or quote "
        "the words they were read from"), w["message"]
    # A quote with no interval says nothing of one; nor does a row whose SD is quoted.
    [w] = consistency_warnings(bundle(arm_outcomes=[arm_row("a", 3.1, 0.6, 32, quote="DN 3.1 (1.8), n = 32")]))
    assert "half-width" not in w["message"]
    quoted = arm_row("a", 3.1, 1.8, 32, quote="DN 3.1 (SD 1.8; 95% CI 2.5 to 3.7), n = 32")
    assert not [x for x in consistency_warnings(bundle(arm_outcomes=[quoted])) if x["check"] == "value_not_in_quote"]


def test_a_bound_typed_without_the_minus_its_quote_prints_is_warned_about() -> None:
    # Lee 2023's row: "-0.02" typed as 0.02; the magnitude is in the quote, the sign not.
    quote = "SMD, \u22120.13; 95% CI, \u22120.25 to \u22120.02"
    row = contrast("SMD", -0.13, ci_lb=-0.25, ci_ub=0.02, quote=quote)
    [w] = consistency_warnings(bundle(contrasts=[row]))
    assert (w["check"], w["ref"], w["column"]) == ("sign_differs_from_quote", f"contrasts.csv:{STUDY}#1", "ci_ub")
    assert w["message"].startswith("sign differs from the quote (quote: \u22120.02, cell: 0.02)"), w["message"]
    # Typed as printed: nothing to say.
    assert not consistency_warnings(bundle(contrasts=[dict(row, ci_ub=-0.02)]))
    # An ASCII minus after "to " or "(" is as plain.
    for printed in ("-0.13 (95% CI -0.25 to -0.02)", "-0.13 (-0.25, -0.02)", "SMD=-0.13; CI:-0.25;-0.02"):
        assert checks_of(bundle(contrasts=[dict(row, quote=printed)])) == ["sign_differs_from_quote"], printed


def test_a_hyphen_that_may_join_a_range_is_not_read_as_a_minus() -> None:
    # "0.25-0.02" is the range from 0.25 to 0.02 as well as it may be -0.02: no warning
    # either way; nor after an en dash, which prints ranges and minus signs alike.
    for printed in ("SMD 0.13 (95% CI 0.25-0.02)", "SMD \u22120.13 (\u22120.25\u2013 0.02)",
                    "SMD \u22120.13 (\u22120.25 \u2013 \u2013 0.02)"):
        for ub in (0.02, -0.02):
            row = contrast("SMD", -0.13, ci_lb=-0.25, ci_ub=ub, quote=printed)
            assert "sign_differs_from_quote" not in checks_of(bundle(contrasts=[row])), (printed, ub)
    assert [sign for _, sign in quote_signs("0.25-0.02", 0.02)] == ["maybe"]
    assert [sign for _, sign in quote_signs("12%-15%", 15)] == ["maybe"]
    # A number printed twice, once without a minus ("p = 0.02"), may be that one.
    row = contrast("SMD", -0.13, ci_lb=-0.25, ci_ub=0.02, quote="\u22120.13 (\u22120.25 to \u22120.02), p = 0.02")
    assert "sign_differs_from_quote" not in checks_of(bundle(contrasts=[row]))


def test_a_negative_cell_its_quote_prints_unsigned_is_warned_about_only_where_the_quote_signs_numbers() -> None:
    # The quote signs its estimate and lower bound, not its upper one: -0.02 typed for 0.02.
    row = contrast("SMD", -0.13, ci_lb=-0.25, ci_ub=-0.02, quote="SMD \u22120.13 (\u22120.25 to 0.02)")
    [w] = consistency_warnings(bundle(contrasts=[row]))
    assert (w["check"], w["column"]) == ("sign_differs_from_quote", "ci_ub")
    assert "(quote: 0.02, cell: -0.02)" in w["message"], w["message"]
    # A decrease in words, with no number signed, is the source's way, as in Mu 2020.
    words = contrast("MD", -10.26, ci_lb=-17.11, ci_ub=-3.4,
                     quote="The MD was 10.26 points lower in the acupuncture group (3.4 to 17.11 lower)")
    assert "sign_differs_from_quote" not in checks_of(bundle(contrasts=[words]))
    # Nor an arm's change, signed by its change_sign rather than by the quote.
    change = arm_row("a", -3.8, 1.2, 40, value_type="change", change_sign="decrease_negative",
                     quote="pain decreased by 3.8 (1.2) points")
    assert "sign_differs_from_quote" not in checks_of(bundle(arm_outcomes=[change]))


def test_a_value_signed_by_the_arm_it_favours_is_not_asked_about_its_sign() -> None:
    # positive_favours_arm1: a d printed -0.92 on a lower-is-better scale is typed 0.92,
    # positive for acupuncture; the quote's minus is not the cell's.
    for sign in ("positive_favours_arm1", "positive_favours_arm2"):
        row = contrast("cohen_d", 0.92, ci_lb=0.5, ci_ub=1.34, sign=sign,
                       quote="d = \u22120.92 (\u22121.34 to \u22120.50)")
        assert "sign_differs_from_quote" not in checks_of(bundle(contrasts=[row])), sign
    # The same cells read as a subtraction are.
    row = contrast("cohen_d", 0.92, ci_lb=0.5, ci_ub=1.34, quote="d = \u22120.92 (\u22121.34 to \u22120.50)")
    [w] = [w for w in consistency_warnings(bundle(contrasts=[row])) if w["check"] == "sign_differs_from_quote"]
    assert w["column"] == "estimate" and "ci_lb: quote \u22120.50, cell 0.5" in w["message"], w["message"]


def test_the_example_raw_data_raises_no_sign_warning() -> None:
    data = read_raw(REPO / "data" / "raw", REPO / "config" / "schemas" / "raw")
    found = [w for b in study_bundles(data).values() for w in consistency_warnings(b)
             if w["check"] == "sign_differs_from_quote"]
    assert found == []


def test_a_warning_quotes_each_raw_cell_as_typed() -> None:
    # The cells were typed "2.0", "-2.80" and "0.90": the message quotes them so, for a
    # reader to find them in the CSV; a cell parsed to 2.0 and printed "2" is not there.
    sd = arm_row("a", 3.4, 2.0, 38, quote="DN 3.4 (2.6), n = 38", _text={"mean": "3.4", "sd": "2.0", "n": "38"})
    [w] = consistency_warnings(bundle(arm_outcomes=[sd]))
    assert "(sd 2.0)" in w["message"], w["message"]
    # -1.56 (-2.80 to -0.95): centred on -1.875, an asymmetry of 34 % (over the 11 %
    # allowed with rounding), as Yu 2023's row of the example.
    md = contrast("MD", -1.56, ci_lb=-2.8, ci_ub=-0.95, quote="MD -1.56 (-2.80, -0.95)",
                  _text={"estimate": "-1.56", "ci_lb": "-2.80", "ci_ub": "-0.95", "timepoint_weeks": "8"})
    [w] = consistency_warnings(bundle(contrasts=[md]))
    assert w["check"] == "ci_not_centred" and "interval (-2.80 to -0.95) to be centred on the MD -1.56" in w["message"]
    # The asymmetry with what it is made of, so that it can be checked by hand: the bounds
    # lie 1.24 below and 0.61 above -1.56, and (1.24 - 0.61) / 1.85 = 34% of the width (the
    # centre's distance from the estimate over the width, another reading, is 17%).
    assert ("found it centred on -1.875: its bounds lie 1.24 below and 0.61 above the estimate, an asymmetry of 34% "
            "of its width; the bound farther out is named, but the estimate, ci_lb or ci_ub may be the one misread"
            ) in w["message"], w["message"]
    # The bound farther from the estimate is the cell named: the lower here, the upper when
    # the interval leans the other way (naming ci_lb always sent a checker to the wrong cell).
    assert w["column"] == "ci_lb"
    [w] = consistency_warnings(bundle(contrasts=[contrast("MD", -2.19, ci_lb=-2.8, ci_ub=-0.95)]))
    assert (w["check"], w["column"]) == ("ci_not_centred", "ci_ub")
    n = arm_row("a", 3.4, 2.6, 370, quote="3.4 (2.6)", _text={"n": "370.0"})
    small = arm_row("b", 3.0, 2.5, 37, quote="3.0 (2.5)")
    [w] = [x for x in consistency_warnings(bundle(arm_outcomes=[n, small])) if x["check"] == "unbalanced_arms"]
    assert "found n 370.0 against 37 for arm" in w["message"], w["message"]


def test_a_bundle_without_typed_cells_quotes_every_digit_typed() -> None:
    # Four significant digits would print the cell 12.345 as 12.35, a number the row
    # does not hold.
    row = arm_row("a", 12.345, 2.6, 38, quote="12.3 (2.6), n = 38")
    [w] = consistency_warnings(bundle(arm_outcomes=[row]))
    assert "(mean 12.345)" in w["message"], w["message"]


def test_the_real_tables_quote_their_cells_as_typed() -> None:
    # contrasts.csv row 59 (Yu 2023) holds ci_lb "-2.80"; its warning names that cell.
    data = read_raw(REPO / "data" / "raw", REPO / "config" / "schemas" / "raw")
    row = next(r for r in data.rows("contrasts") if r.row == 59)
    assert row.text["ci_lb"] == "-2.80" and row["ci_lb"] == -2.8
    b = json.loads(json.dumps(study_bundle(data, "Yu2023")))  # what the job receives
    assert b["contrasts"][1]["_text"]["ci_lb"] == "-2.80"
    [w] = [x for x in consistency_warnings(b) if x["check"] == "ci_not_centred"]
    assert "(-2.80 to -0.95)" in w["message"], w["message"]


def test_the_real_tables_give_a_review_no_pooled_size_that_is_not_its_comparisons() -> None:
    # Vickers 2018's abstract gives 39 trials and 20,827 patients for its whole IPD set
    # (four pain conditions, sham and no-acupuncture controls together). In k_studies and
    # n_participants they were printed under a low back pain analysis as the size of the
    # comparison against sham; the rows keep them in their notes only.
    data = read_raw(REPO / "data" / "raw", REPO / "config" / "schemas" / "raw")
    rows = [r for r in data.rows("contrasts") if r["study_id"] == "Vickers2018"]
    assert len(rows) == 2
    for row in rows:
        assert row.get("k_studies") is None and row.get("n_participants") is None
        assert "39 trials and 20,827 patients are the whole IPD set" in row["notes"]


def test_a_proportion_is_found_only_as_a_percentage() -> None:
    # 0.5 is 50%, not the n = 50 of the same sentence.
    assert checks_of(bundle(contrasts=[contrast("RD", 0.5, quote="n = 50; 12 events")])) == ["value_not_in_quote"]
    assert checks_of(bundle(contrasts=[contrast("RD", 0.5, quote="a difference of 50 %")])) == []


@pytest.mark.parametrize("cells, quote", [
    ({"estimate": -2.09, "ci_lb": -4.27, "ci_ub": 0.09}, "adjusted difference, -2.09; 95% CI, -4.27 to 0.09"),
    ({"estimate": -0.51, "ci_lb": -1.39, "ci_ub": 0.37}, "\u22120.51 (\u22121.39 to 0.37)"),  # U+2212 minus
    ({"estimate": -5.0, "p_value": 0.39}, "reduced by 5 points (P = .39)"),  # sign in words, ".39"
    ({"estimate": 1872.0}, "1,872 participants"),
    ({"estimate": 1.5, "ci_lb": 0.9, "ci_ub": 2.1}, "MD 1\u00b75 (0\u00b79 to 2\u00b71)"),  # decimal middle dots
    ({"estimate": 10.0, "ci_lb": 120.0}, "(10,120)"),  # a pair, not ten thousand
    ({"estimate": -1.0, "p_value": 1.2e-5}, "MD1.0, p = 1.2 \u00d7 10\u22125"),
    ({"estimate": -1.0, "p_value": 1.2e-5}, "MD -1.0, p=1.2e-5"),
])
def test_values_printed_as_sources_print_them_are_found(cells: dict[str, float], quote: str) -> None:
    row = {"arm1": "a", "arm2": "b", "outcome": "pain", "instrument": "VAS_0_10", "timepoint_weeks": 8,
           "value_type": "final", "measure": "MD", "sign_convention": "arm1_minus_arm2", "confidence": "high",
           "quote": quote, **cells}
    assert checks_of(bundle(contrasts=[row])) == []


def test_a_risk_difference_printed_as_a_percentage_is_found() -> None:
    # The codebook's RD is a proportion: 0.034 is the source's 3.4%.
    row = contrast("RD", 0.034, ci_lb=-0.037, ci_ub=0.103, quote="3.4% (95% CI, \u22123.7% to 10.3%)")
    assert checks_of(bundle(contrasts=[row])) == []


def test_a_count_of_events_its_quote_does_not_print_is_warned_about() -> None:
    # A responder arm's "0 of 29" typed as 1: the risk ratio went from 14.5 to 6.8, and no
    # check saw it, events not being among the cells asked of the quote.
    row = {**arm_row("a", None, n=29, value_type="events", instrument="GERAC_responder"),
           "events": 1, "quote": "Responders: 7 of 30 with exercise and 0 of 29 with usual care"}
    [w] = consistency_warnings(bundle(arm_outcomes=[row]))
    assert (w["check"], w["column"]) == ("value_not_in_quote", "events")
    assert "(events 1)" in w["message"]
    assert consistency_warnings(bundle(arm_outcomes=[{**row, "events": 0}])) == []


def test_a_percentage_typed_as_a_proportion_is_warned_about() -> None:
    # Haake 2007's responder rate, 47.6%, typed as 0.476: an RR of about 0.01 where the
    # source's is 1.08, which no other check sees (0.476 is a valid percentage).
    row = {**arm_row("a", None, n=387, value_type="percent_responders", instrument="GERAC_responder"),
           "percent": 0.476, "quote": "response rate was 47.6% in the verum acupuncture group"}
    [w] = consistency_warnings(bundle(arm_outcomes=[row]))
    assert (w["check"], w["column"]) == ("value_not_in_quote", "percent")
    assert "(percent 0.476)" in w["message"]
    assert "0.476 is the quote's 47.6% as a proportion (write 47.6)" in w["message"]
    # A mean difference on a scale in percent points (ODI), typed as a proportion.
    md = contrast("MD", -0.103, quote="ODI fell by 10.3% more with acupuncture")
    [w] = consistency_warnings(bundle(contrasts=[md]))
    assert w["column"] == "estimate" and "(write 10.3)" in w["message"]
    # Typed as printed, neither is warned about.
    assert checks_of(bundle(arm_outcomes=[dict(row, percent=47.6)])) == []
    assert checks_of(bundle(contrasts=[dict(md, estimate=-10.3)])) == []


def test_an_i2_typed_as_a_proportion_of_the_quotes_percentage_is_warned_about() -> None:
    # Lam 2013's "I = 90%" typed as 0.9: the report would print I² = 0.9%.
    quote = "[MD = -16.76 (95% CI -33.33, -0.19), p = 0.05, I = 90%]"
    row = contrast("MD", -16.76, ci_lb=-33.33, ci_ub=-0.19, p_value=0.05, i2=0.9, quote=quote)
    [w] = consistency_warnings(bundle(contrasts=[row]))
    assert (w["check"], w["column"]) == ("value_not_in_quote", "i2")
    assert w["message"] == "expected I\u00b2 in percent as the row's quote prints it (90%), found i2 0.9: a proportion? write 90"
    # As printed, or printed elsewhere than the quote (not asked of it), no warning.
    assert checks_of(bundle(contrasts=[dict(row, i2=90.0)])) == []
    assert checks_of(bundle(contrasts=[dict(row, i2=0.9, quote=quote.replace(", I = 90%", ""))])) == []


def test_a_decrease_of_more_than_all_on_a_scale_of_unknown_range_is_a_warning() -> None:
    row = arm_row("a", -120.0, value_type="percent_change", change_sign="decrease_negative",
                  instrument="VAS_unknown")
    assert checks_of(bundle(arm_outcomes=[row], instruments=[NORANGE])) == ["percent_decrease_beyond_all"]
    assert checks_of(bundle(arm_outcomes=[dict(row, mean=-90.0, quote="values -90.0")],
                            instruments=[NORANGE])) == []
    # With a known range it is refused before any check (rawdata), and not warned twice.
    assert checks_of(bundle(arm_outcomes=[dict(row, instrument="VAS_0_10")])) == []


def test_a_second_row_for_one_arm_is_warned_about() -> None:
    # The sham row copied from the needling one, its arm_id left unchanged.
    rows = [arm_row("a", 3.1, 2.5, 38), arm_row("a", 4.4, 2.3, 40)]
    [w] = consistency_warnings(bundle(arm_outcomes=rows))
    assert (w["check"], w["ref"], w["column"]) == ("repeated_arm_row", f"arm_outcomes.csv:{STUDY}#2", "arm_id")
    assert w["related"] == [f"arm_outcomes.csv:{STUDY}#1"] and "found another" in w["message"]
    # What follows from it as the effect does it (metareview.extract): the timepoint is
    # unused, not the study, which enters with another timepoint when it has one.
    assert "no row of this timepoint is used" in w["message"] and "study is set aside" not in w["message"]
    # Located, both rows are named by spreadsheet row: not "row 77" beside "Demo2020#1".
    located = {f"arm_outcomes.csv:{STUDY}#{i}": ("arm_outcomes.csv", 75 + i) for i in (1, 2)}
    text = format_warning(w, located)
    assert text.startswith(f"arm_outcomes.csv, row 77 ({STUDY}#2), column 'arm_id': expected one row")
    assert "found another (row 76)" in text and f"{STUDY}#1" not in text
    # Another timepoint, value type or instrument is another result.
    assert checks_of(bundle(arm_outcomes=[rows[0], arm_row("a", 4.4, 2.3, 40, weeks=26)])) == []
    assert checks_of(bundle(arm_outcomes=[rows[0], arm_row("a", -1.0, 2.3, 40, value_type="change",
                                                            change_sign="decrease_negative")])) == []


@pytest.mark.parametrize("n1, n2, warns", [(380, 40, True), (160, 40, False), (161, 40, True), (40, 40, False)])
def test_arms_of_very_unequal_size_are_warned_about(n1: int, n2: int, warns: bool) -> None:
    rows = [arm_row("a", 3.1, 2.5, n1), arm_row("b", 4.4, 2.3, n2)]
    ws = consistency_warnings(bundle(arm_outcomes=rows))
    assert [(w["check"], w["ref"]) for w in ws] == ([("unbalanced_arms", f"arm_outcomes.csv:{STUDY}#1")] if warns else [])
    # At another timepoint the sizes are not compared (the weeks are asked about, weeks_unpaired).
    assert checks_of(bundle(arm_outcomes=[rows[0], arm_row("b", 4.4, 2.3, n2, weeks=26)])) == ["weeks_unpaired"] * 2


# --------------------------------------------------------------------------- weeks, SE, scale

VAS100 = {"instrument": "VAS_0_100", "label": "VAS 0-100", "outcome": "pain", "scale_min": 0.0, "scale_max": 100.0,
          "lower_is_better": True}


def test_weeks_left_out_of_one_arms_row_are_warned_about() -> None:
    # Both arms at "8 weeks"; the sham arm's weeks not typed: it pairs with nothing.
    rows = [arm_row("a", 3.1, 2.5, 38, timepoint_label="8 weeks"),
            arm_row("b", 4.4, 2.3, 40, weeks=None, timepoint_label="8 Weeks")]
    [w] = consistency_warnings(bundle(arm_outcomes=rows))
    assert (w["check"], w["ref"], w["column"]) == ("weeks_missing_for_label", f"arm_outcomes.csv:{STUDY}#2",
                                                   "timepoint_weeks")
    assert w["related"] == [f"arm_outcomes.csv:{STUDY}#1"]
    assert w["message"].startswith(f"expected the weeks of timepoint_label '8 Weeks', 8 as in "
                                   f"arm_outcomes.csv:{STUDY}#1 (the label names 8 Weeks), found an empty cell")
    # Only rows it would pair with count: another arm's at the same outcome, instrument and
    # value type. A contrast with weeks at the same label, the same arm at another value
    # type, another outcome's row: none is asked after (a label such as "follow-up" is
    # reused); nor are rows without weeks on both sides (placed by a window's terms).
    c = contrast("MD", -1.3, ci_lb=-2.0, ci_ub=-0.6, timepoint_label="end of treatment", weeks=12)
    assert checks_of(bundle(arm_outcomes=[arm_row("a", 3.1, 2.5, 38, weeks=None, timepoint_label="End of treatment")],
                            contrasts=[c])) == []
    assert checks_of(bundle(arm_outcomes=[rows[0], dict(rows[1], outcome="disability")])) == []
    assert checks_of(bundle(arm_outcomes=[rows[0], dict(rows[1], value_type="change")])) == []
    assert checks_of(bundle(arm_outcomes=[rows[0], dict(rows[1], arm_id="a")])) == []
    assert checks_of(bundle(arm_outcomes=[dict(r, timepoint_weeks=None) for r in rows])) == []
    assert checks_of(bundle(arm_outcomes=[rows[0], dict(rows[1], timepoint_label="follow-up")])) == []


@pytest.mark.parametrize("quote, warns", [
    ("VAS at 8 weeks, mean (SE): 3.1 (0.4)", True),
    ("3.1 \u00b1 0.4 (mean \u00b1 SEM)", True),
    ("mean 3.1, standard error 0.4", True),
    ("3.1 (S.E. 0.4)", True),
    ("mean (SD) 3.1 (0.4); SE of the difference 0.2", False),  # SDs named too
    ("mean 3.1 \u00b1 0.4", False),
    ("se asocia con 3.1 (0.4)", False),  # a word, not the abbreviation
    ("Sleep efficiency (SE, %): 3.1 \u00b1 0.4", False),  # an abbreviation defined, not a spread
    ("Sleep efficiency (SE, %): mean (SE) 3.1 (0.4)", True),  # ... then a spread after all
])
def test_an_sd_whose_quote_gives_standard_errors_is_warned_about(quote: str, warns: bool) -> None:
    row = dict(arm_row("a", 3.1, 0.4, 38), quote=quote)
    ws = [w for w in consistency_warnings(bundle(arm_outcomes=[row])) if w["check"] == "sd_quoted_as_se"]
    assert bool(ws) is warns
    if warns:
        assert ws[0]["column"] == "sd" and "move it to the se column" in ws[0]["message"]
    # Typed in the se column, as the quote says, it is what it should be.
    assert checks_of(bundle(arm_outcomes=[{k: v for k, v in dict(row, se=0.4).items() if k != "sd"}])) == []


def _median_row(quote: str, **spread: float) -> dict[str, Any]:
    row = {"arm_id": "a", "outcome": "pain", "instrument": "VAS_0_10", "timepoint_weeks": 8, "value_type": "final",
           "median": 3.0, "n": 40, "confidence": "high", "quote": quote, **spread}
    return row


@pytest.mark.parametrize("quote, cells, check", [
    # Quartiles typed as the range: Wan et al.'s SD from a range of 2 to 5 is about a third
    # of the one from quartiles 2 to 5, and the trial weighs several times what it should.
    ("Median (IQR) NRS at 8 weeks: 3 (2-5)", {"min": 2.0, "max": 5.0}, "quartiles_quoted_as_range"),
    ("median (interquartile range) 3 (2-5)", {"min": 2.0, "max": 5.0}, "quartiles_quoted_as_range"),
    ("median (inter-quartile range) 3 (2-5)", {"min": 2.0, "max": 5.0}, "quartiles_quoted_as_range"),
    ("median [Q1, Q3] 3 [2, 5]", {"min": 2.0, "max": 5.0}, "quartiles_quoted_as_range"),
    # The range typed as the quartiles.
    ("median (range) 3 (0-9)", {"q1": 0.0, "q3": 9.0}, "range_quoted_as_quartiles"),
    ("median 3, min-max 0-9", {"q1": 0.0, "q3": 9.0}, "range_quoted_as_quartiles"),
    # As the quote says, or both named, or all four cells: nothing to say.
    ("Median (IQR) 3 (2-5)", {"q1": 2.0, "q3": 5.0}, None),
    ("median (range) 3 (0-9)", {"min": 0.0, "max": 9.0}, None),
    ("median (IQR; range) 3 (2-5; 0-9)", {"min": 2.0, "max": 5.0}, None),
    ("median (IQR; range) 3 (2-5; 0-9)", {"q1": 2.0, "q3": 5.0, "min": 0.0, "max": 9.0}, None),
    ("median 3 (2-5)", {"min": 2.0, "max": 5.0}, None),
])
def test_a_median_s_spread_in_the_columns_its_quote_does_not_name_is_warned_about(
        quote: str, cells: dict[str, float], check: str | None) -> None:
    ws = [w for w in consistency_warnings(bundle(arm_outcomes=[_median_row(quote, **cells)]))
          if w["check"] in ("quartiles_quoted_as_range", "range_quoted_as_quartiles")]
    assert [w["check"] for w in ws] == ([check] if check else [])
    if check == "quartiles_quoted_as_range":
        assert ws[0]["column"] == "min" and "move them to q1 and q3" in ws[0]["message"]
    elif check:
        assert ws[0]["column"] == "q1" and "move them to min and max" in ws[0]["message"]


@pytest.mark.parametrize("mean, sd, quote, warns", [
    # The SD typed in the mean column and the mean in the SD's: both numbers are the
    # quote's, so only where the quote prints each tells them apart.
    (18.4, 32.5, "VAS 0-100 at 6 weeks, mean (SD): dry needling 32.5 (18.4), acupuncture 38.1 (19.2)", True),
    (1.2, 3.8, "Acupuncture (12 sessions) \u22123.8 \u00b1 1.2", True),
    (18.4, None, "mean (SD): dry needling 32.5 (18.4)", True),  # the SD alone, in the mean column
    (32.5, 18.4, "mean (SD): dry needling 32.5 (18.4), acupuncture 38.1 (19.2)", False),
    (3.8, 1.2, "Acupuncture (12 sessions) \u22123.8 \u00b1 1.2", False),
    # A number printed both as a value and as another's spread: no telling which it is.
    (5.1, 2.3, "mean (SD) 5.4 (5.1) 5.1 (2.3)", False),
    # An interval in brackets is no spread; a count in brackets beside a label neither.
    (28.1, 4.0, "mean 32.5 (28.1 to 36.9), SD 4.0; 28.1", False),
    (12.0, 3.0, "Acupuncture (12 sessions): 12 \u00b1 3", False),
])
def test_a_mean_its_quote_prints_as_a_spread_is_warned_about(mean: float, sd: float | None, quote: str,
                                                             warns: bool) -> None:
    row = dict(arm_row("a", mean, sd, 40), quote=quote)
    ws = [w for w in consistency_warnings(bundle(arm_outcomes=[row])) if w["check"] == "mean_quoted_as_spread"]
    assert bool(ws) is warns
    if warns:
        assert ws[0]["column"] == "mean" and ws[0]["ref"] == f"arm_outcomes.csv:{STUDY}#1"
        assert f"found mean {mean:g}, which the row's quote prints only as the spread of {sd or 32.5:g}" in ws[0]["message"]


@pytest.mark.parametrize(("mean", "sd", "quote", "warns"), [
    # The other arm's mean typed as this one's SD: 4.6 is printed only with its own spread.
    (3.1, 4.6, "cupping 3.1 (1.9), sham 4.6 (2.1)", True),
    (3.1, 4.6, "cupping 3.1 \u00b1 1.9, sham 4.6 \u00b1 2.1", True),
    # The row's own mean retyped as its SD.
    (3.1, 3.1, "cupping 3.1 (1.9), sham 4.6 (2.1)", True),
    (3.1, 1.9, "cupping 3.1 (1.9), sham 4.6 (2.1)", False),
    # A number printed both as a value and as another's spread: no telling which it is.
    (2.3, 5.1, "mean (SD) 5.4 (5.1) 5.1 (2.3)", False),
    # An interval in brackets is no spread; an SD printed alone neither.
    (32.5, 28.1, "mean 32.5 (28.1 to 36.9), SD 28.1", False),
    (32.5, 18.4, "mean 32.5, SD 18.4", False),
])
def test_an_sd_its_quote_prints_as_a_value_with_a_spread_is_warned_about(mean: float, sd: float, quote: str,
                                                                         warns: bool) -> None:
    row = dict(arm_row("a", mean, sd, 40), quote=quote)
    ws = [w for w in consistency_warnings(bundle(arm_outcomes=[row])) if w["check"] == "sd_quoted_as_value"]
    assert bool(ws) is warns
    if warns:
        assert ws[0]["column"] == "sd" and ws[0]["ref"] == f"arm_outcomes.csv:{STUDY}#1"
        assert f"found sd {sd:g}, which the row's quote prints only as a value with its own spread ({sd:g} (" in \
            ws[0]["message"]


def test_values_on_a_ten_times_smaller_scale_are_warned_about() -> None:
    # 0-10 scores entered on a 0-100 instrument's rows.
    rows = [arm_row("a", 3.1, 2.5, 38, instrument="VAS_0_100"), arm_row("b", 4.4, 2.3, 40, instrument="VAS_0_100")]
    [w] = consistency_warnings(bundle(arm_outcomes=rows, instruments=[VAS100]))
    assert (w["check"], w["ref"], w["column"]) == ("values_on_smaller_scale", f"arm_outcomes.csv:{STUDY}#1", "mean")
    assert w["related"] == [f"arm_outcomes.csv:{STUDY}#2"]
    assert ("found every mean at week 8 from 0 to 10: 3.1, 4.4 (SD 2.5, 2.3): values on a 0 to 10 scale? Then "
            "multiply them by 10") in w["message"]
    # One arm above the bottom tenth, or an SD above it, or a narrow range, or changes: none.
    assert checks_of(bundle(arm_outcomes=[rows[0], dict(rows[1], mean=14.0, quote="values 14.0, 2.3")],
                            instruments=[VAS100])) == []
    assert checks_of(bundle(arm_outcomes=[rows[0], dict(rows[1], sd=12.0, quote="values 4.4, 12.0")],
                            instruments=[VAS100])) == []
    assert checks_of(bundle(arm_outcomes=[arm_row("a", 0.9, 0.5, 38), arm_row("b", 0.8, 0.4, 40)])) == []
    changes = [dict(r, value_type="change", change_sign="decrease_negative") for r in rows]
    assert checks_of(bundle(arm_outcomes=changes, instruments=[VAS100])) == []
    # Another timepoint is judged on its own.
    later = [quoted({**{k: v for k, v in r.items() if k != "quote"}, "timepoint_weeks": 26, "mean": 40.0})
             for r in rows]
    assert checks_of(bundle(arm_outcomes=[*rows, *later], instruments=[VAS100])) == ["values_on_smaller_scale"]
    # One arm alone, however low, is a result, not a sign of the scale.
    assert checks_of(bundle(arm_outcomes=rows[:1], instruments=[VAS100])) == []
    # On a scale that does not start at 0, multiplying would not do: the advice says how.
    from_10 = {**VAS100, "scale_min": 10.0, "scale_max": 110.0}
    shifted = [dict(r, mean=r["mean"] + 10, quote=f"values {r['mean'] + 10}, {r['sd']}") for r in rows]
    [w] = consistency_warnings(bundle(arm_outcomes=shifted, instruments=[from_10]))
    assert "values on a 10 to 20 scale? Then enter each mean as 10 + (mean \u2212 10) \u00d7 10" in w["message"]


def test_values_in_a_unit_are_not_asked_whether_they_are_on_a_smaller_scale() -> None:
    # Days in hospital, bounded 0 to 365: stays of 3 to 12 days sit in the bottom tenth
    # of the bound, as most stays do, and no scale exists they could have been read on.
    days = {"instrument": "days", "label": "Days in hospital", "outcome": "pain", "scale_min": 0.0,
            "scale_max": 365.0, "unit": "days", "lower_is_better": True}
    rows = [arm_row("a", 8.1, 3.5, 38, instrument="days"), arm_row("b", 11.9, 4.2, 40, instrument="days")]
    assert checks_of(bundle(arm_outcomes=rows, instruments=[days])) == []
    # The same numbers on a 0 to 365 scale without a unit are warned about.
    assert checks_of(bundle(arm_outcomes=rows, instruments=[{**days, "unit": None}])) == ["values_on_smaller_scale"]


def test_a_warnings_column_is_given_its_letter_in_the_file_as_read() -> None:
    b = bundle(contrasts=[contrast("MD", 3.05, ci_lb=1.05, ci_ub=4.05)])
    [w] = consistency_warnings(b)
    rows = {w["ref"]: ("contrasts.csv", 17)}
    # ci_lb is the 11th name of the example's contrasts.csv (study_id, arm1, arm2, outcome,
    # instrument, timepoint_weeks, timepoint_label, value_type, measure, estimate, ci_lb): K.
    example = (REPO / "data" / "raw" / "contrasts.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    headers = {"contrasts": example, "arm_outcomes": ["study_id", "ci_lb"]}
    assert format_warning(w, rows, headers=headers).startswith(
        f"contrasts.csv, row 17 ({STUDY}#1), column 'ci_lb' (K): expected")
    # The file's letters, not the codebook's order: moved to the 28th column it is AB.
    moved = [c for c in example if c != "ci_lb"]
    moved = [*moved[:27], "ci_lb", *moved[27:]]
    assert ", column 'ci_lb' (AB): " in format_warning(w, rows, headers={"contrasts": moved})
    assert format_warning(w, headers={"contrasts": moved}).startswith(
        f"contrasts.csv:{STUDY}#1, column 'ci_lb' (AB): expected")
    # Quoted as the report quotes it, the letter outside the quotes.
    assert ", column \u2018ci_lb\u2019 (K): " in format_warning(w, rows, headers=headers, quotes=("\u2018", "\u2019"))
    # A header without the column, with it twice, or of another table only: no letter.
    for other in ({"contrasts": ["study_id", "estimate"]}, {"contrasts": ["ci_lb", "x", "ci_lb"]},
                  {"arm_outcomes": ["ci_lb"]}, {}):
        assert format_warning(w, rows, headers=other) == format_warning(w, rows)


def test_a_source_no_table_cites_is_warned_about() -> None:
    from metareview.checks import uncited_sources

    tables = {"sources": [{"source_id": "paper"}, {"source_id": "blog"}, {"source_id": "registry"}],
              "studies": [{"study_id": "S1", "source_id": "paper"}],
              "contrasts": [{"study_id": "S1", "source_id": "registry"}, {"study_id": "S1"}]}
    [w] = uncited_sources(tables)
    assert (w["check"], w["ref"], w["file"], w["column"]) == ("uncited_source", "sources.csv:blog", "sources.csv",
                                                              "source_id")
    assert format_warning(w, {w["ref"]: ("sources.csv", 3)}).startswith(
        "sources.csv, row 3 (blog), column 'source_id': expected a document that a row of another table cites")
    assert format_warning(w, {w["ref"]: ("sources.csv", 3)}, headers={"sources": ["title", "source_id"]}).startswith(
        "sources.csv, row 3 (blog), column 'source_id' (B): expected a document")
    assert uncited_sources({k: v for k, v in tables.items() if k != "sources"}) == []
    # The example review: every listed document is cited but the one page kept for a detail.
    data = read_raw(REPO / "data" / "raw", REPO / "config" / "schemas" / "raw")
    found = uncited_sources({t: [r.values for r in rows] for t, rows in data.tables.items()})
    assert [w["ref"] for w in found] == ["sources.csv:legacy_dn_page"]


# --------------------------------------------------------------------------- characters an encoding lost


def _saved_as_cp1252(text: str) -> str:
    """``text`` as a spreadsheet's "CSV" save in Windows-1252 leaves it, read back: '?'
    for each character the encoding lacks."""
    return text.encode("cp1252", "replace").decode("cp1252")


def test_characters_a_legacy_save_wrote_as_question_marks_are_warned_about_by_row_and_cell() -> None:
    from metareview.checks import lost_characters, table_row_refs, warning_subject

    tables = {
        "sources": [{"source_id": "yang", "citation": _saved_as_cp1252("羊璞 (Yang P) (2021). 单纯针刺 (acupuncture)"),
                     "url": "http://example.org/forum.php?mod=viewthread&tid=1", "doi_or_pmid": "",
                     "notes": "Year unclear?? Ask the authors."}],
        "studies": [{"study_id": "S1", "label": "Smith (2020)", "population": _saved_as_cp1252("all trials ≥50 adults")}],
        "arm_outcomes": [{"study_id": "S1", "quote": "Pain fell by 3.8 (1.2). Did it last? 12 weeks later, yes.",
                          "mean": -3.8},
                         {"study_id": "S1", "quote": _saved_as_cp1252("Acupuncture −3.8 ± 1.2 and −2.9 ± 1.4"),
                          "mean": -3.8}],
        "claims": [{"claim_id": "c1", "claim": "Na\ufffdve patients improved.",
                    "quote": "Also at www.example.org/a?id=7 and https://example.org/b?x=1"}],
    }
    found = lost_characters(tables)
    assert [(w["check"], w["ref"], w["file"], w["column"]) for w in found] == [
        ("lost_character", "sources.csv:yang", "sources.csv", "citation"),
        ("lost_character", "studies.csv:S1#1", "studies.csv", "population"),
        # A question mark that ends a question, before a space and a number, is no lost character.
        ("lost_character", "arm_outcomes.csv:S1#2", "arm_outcomes.csv", "quote"),
        ("lost_character", "claims.csv:c1", "claims.csv", "claim")]
    yang, adults, quote, claim = (w["message"] for w in found)
    assert yang.startswith("expected the source's characters, found '??' in \"?? (Yang P) (2021). ???? (a...\" "
                           "(2 places in the cell): a character lost when the file was saved in a legacy encoding")
    assert adults.startswith("expected the source's characters, found '?' in \"all trials ?50 adults\": ")
    assert "type it again from the source" in adults
    assert "found '?' in \"Acupuncture ?3.8 ± 1.2 and ?2.9 ± 1.4\" (2 places in the cell): " in quote
    assert claim.startswith("expected the source's characters, found '\ufffd' (a replacement character) in ")
    # Named as the report's table of warnings names them.
    assert [warning_subject(w["ref"], {"S1": "Smith (2020)"}) for w in found] == [
        "Source document yang", "Smith (2020)", "Smith (2020)", "Claim c1"]
    assert [ref for ref, _ in table_row_refs(tables)] == [
        "sources.csv:yang", "studies.csv:S1#1", "arm_outcomes.csv:S1#1", "arm_outcomes.csv:S1#2", "claims.csv:c1"]
    # The example review's tables, in UTF-8 with their minus signs and Chinese titles, raise none.
    data = read_raw(REPO / "data" / "raw", REPO / "config" / "schemas" / "raw")
    example = {t: [r.values for r in rows] for t, rows in data.tables.items()}
    assert lost_characters(example) == []
    # Saved once as Windows-1252 and back, they do: a quote's minus sign, a Chinese title.
    saved = {t: [{k: _saved_as_cp1252(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]
             for t, rows in example.items()}
    refs = {w["ref"] for w in lost_characters(saved)}
    assert {"sources.csv:yangp2021_abstract", "studies.csv:Chen2022#1", "arm_outcomes.csv:Chen2022#1"} <= refs
    # Each row a warning names is one that resolve_refs places in its file.
    assert refs <= set(resolve_refs(data))


def test_a_timepoint_or_an_id_a_spreadsheet_converted_is_warned_about() -> None:
    # "week 8" saved as "08-Jan", a PMID as "3.33E+07": valid text, printed as the trial's
    # timepoint and the source's identifier, with nothing to say they were changed.
    from metareview.checks import spreadsheet_conversions

    tables = {"sources": [{"source_id": "p", "doi_or_pmid": "3.33E+07"}, {"source_id": "q", "doi_or_pmid": "33300000"}],
              "contrasts": [{"study_id": "S1", "timepoint_label": label}
                            for label in ("08-Jan", "week 8", "Jan-08", "2024-01-08", "March 2020", "6 months")]}
    found = spreadsheet_conversions(tables)
    assert [(w["ref"], w["column"]) for w in found] == [
        ("sources.csv:p", "doi_or_pmid"), ("contrasts.csv:S1#1", "timepoint_label"),
        ("contrasts.csv:S1#3", "timepoint_label"), ("contrasts.csv:S1#4", "timepoint_label")]
    assert found[0]["message"] == ("expected the DOI or PMID as the source gives it, found '3.33E+07', a number in "
                                   "scientific notation as a spreadsheet writes what it took for one: type it again "
                                   "from the source, in a column formatted as text")
    assert found[1]["message"].startswith("expected the timepoint as the source words it, found '08-Jan', a date ")
    data = read_raw(REPO / "data" / "raw", REPO / "config" / "schemas" / "raw")
    assert spreadsheet_conversions({t: [r.values for r in rows] for t, rows in data.tables.items()}) == []


def test_the_dry_run_s_warnings_include_lost_characters_under_what_their_row_is() -> None:
    from metareview.checks import table_warnings

    tables = {"studies": [{"study_id": "S1", "label": "Smith (2020)"}],
              "treatments": [{"treatment": "acu", "label": _saved_as_cp1252("Acupuncture (针刺)"), "role": "active"}]}
    [(label, w)] = table_warnings({}, tables)
    assert (label, w["ref"], w["column"]) == ("Treatment acu", "treatments.csv:acu", "label")


# --------------------------------------------------------------------------- an arm's code against its words


TREATMENTS = [{"treatment": "acupuncture", "label": "Acupuncture", "role": "active"},
              {"treatment": "auricular_acupuncture", "label": "Auricular acupuncture", "role": "active"},
              {"treatment": "dry_needling", "label": "Dry needling", "role": "active"},
              {"treatment": "exercise", "label": "Exercise", "role": "active"},
              {"treatment": "minimal_acupuncture", "label": "Minimal acupuncture", "role": "sham"},
              {"treatment": "sham_acupuncture", "label": "Sham acupuncture", "role": "sham"},
              {"treatment": "sham_dry_needling", "label": "Sham dry needling", "role": "sham"},
              {"treatment": "usual_care", "label": "Usual care", "role": "control"},
              {"treatment": "waiting_list", "label": "Waiting list", "role": "control"},
              {"treatment": "no_treatment", "label": "No treatment", "role": "control"}]


def _arms_warned(*arms: tuple[str, str]) -> list[dict[str, Any]]:
    from metareview.checks import sham_arms_named_active

    rows = [{"study_id": "T", "arm_id": "dn", "treatment": "dry_needling", "description": "Dry needling"},
            *({"study_id": "T", "arm_id": f"a{i}", "treatment": t, "description": d} for i, (t, d) in enumerate(arms))]
    return sham_arms_named_active({"treatments": TREATMENTS, "arms": rows})


def test_an_arm_coded_as_a_sham_but_described_as_an_active_treatment_is_warned_about() -> None:
    # A mistyped manual_acupuncture taken as minimal_acupuncture, a sham: the trial of dry
    # needling against acupuncture became one against sham, and nothing said so.
    [w] = _arms_warned(("minimal_acupuncture", "Manual acupuncture at traditional points, 6 sessions over 3 weeks"))
    assert (w["check"], w["ref"], w["file"], w["column"]) == ("sham_arm_names_active", "arms.csv:T#2", "arms.csv",
                                                              "treatment")
    assert w["message"] == (
        "expected the description of an arm coded 'minimal_acupuncture' (Minimal acupuncture, a sham) to say it is "
        "one, found 'Manual acupuncture at traditional points, 6 sessions over 3 weeks', which names the active "
        "'acupuncture' (Acupuncture) and neither a sham word nor 'Minimal acupuncture': if the arm had that "
        "treatment, give it its code; if it is a sham, say so in its description")
    assert format_warning(w, {w["ref"]: ("arms.csv", 131)}).startswith(
        "arms.csv, row 131 (T#2), column 'treatment': expected the description")
    # A control arm given the other trial arm's treatment, named by its own label (the
    # longer of the two it names) and by its code with spaces.
    [w] = _arms_warned(("usual_care", "Auricular acupuncture, 8 sessions"))
    assert "names the active 'auricular_acupuncture' (Auricular acupuncture) and" in w["message"]
    [w] = _arms_warned(("waiting_list", "Trigger point dry needling"))
    assert "'dry_needling' (Dry needling)" in w["message"] and "if it is a control, say so" in w["message"]


@pytest.mark.parametrize(("treatment", "description"), [
    # Genuine shams: a word of a sham, or the points off the real ones.
    ("minimal_acupuncture", "Minimal acupuncture (superficial needling at non-acupuncture points)"),
    ("minimal_acupuncture", "Superficial needling of acupuncture points"),
    ("sham_acupuncture", "Simulated acupuncture (placebo)"),
    ("sham_acupuncture", "Acupuncture at non-acupuncture points"),
    ("sham_acupuncture", "Non-penetrating acupuncture with Streitberger needles"),
    ("sham_acupuncture", "Mock acupuncture"),
    ("sham_dry_needling", "Dry needling with retractable needles"),
    ("sham_dry_needling", "Sham dry needling + the same exercise programme"),
    # Controls that deny the treatment, or name their own care and what it holds.
    ("waiting_list", "Waiting list (no acupuncture)"),
    ("no_treatment", "No-acupuncture control"),
    ("no_treatment", "Without acupuncture or dry needling"),
    ("waiting_list", "Acupuncture deferred until week 26"),
    ("usual_care", "Usual care (medication, exercise)"),
    # A word within another (electroacupuncture) is not the treatment named.
    ("usual_care", "Electroacupuncture-free routine care"),
    ("sham_acupuncture", ""),
    ("sham_acupuncture", "Sham"),
])
def test_a_genuine_sham_or_control_description_is_not_warned_about(treatment: str, description: str) -> None:
    assert _arms_warned((treatment, description)) == []


def test_an_active_arm_and_the_example_s_arms_raise_no_warning_of_their_code() -> None:
    from metareview.checks import sham_arms_named_active

    assert _arms_warned(("acupuncture", "Manual acupuncture at traditional points")) == []
    # Without a treatments table, nothing to check against.
    assert sham_arms_named_active({"arms": [{"study_id": "T", "treatment": "usual_care",
                                             "description": "Acupuncture"}]}) == []
    data = read_raw(REPO / "data" / "raw", REPO / "config" / "schemas" / "raw")
    tables = {t: [r.values for r in rows] for t, rows in data.tables.items()}
    assert sham_arms_named_active(tables) == []
    # Its ref is the row's as the audit trail resolves it: a study's n-th arm row.
    tables["arms"] = [dict(r) for r in tables["arms"]]
    last = max(i for i, r in enumerate(tables["arms"]) if r["treatment"] == "sham_acupuncture")
    tables["arms"][last]["description"] = "Acupuncture, 10 sessions"
    [w] = sham_arms_named_active(tables)
    assert resolve_refs(data)[w["ref"]] == ("arms.csv", data.rows("arms")[last].row)


def test_an_arm_with_results_whose_treatment_is_in_no_node_is_warned_about() -> None:
    # A trial's third arm given a new code, its treatments.csv row and its results, but no
    # node: it entered no analysis, and nothing said so.
    from metareview.checks import arms_in_no_node, table_warnings

    nodes = {"dry_needling": {"label": "Dry needling", "treatments": ["dry_needling"]},
             "acupuncture": {"label": "Acupuncture", "treatments": ["acupuncture"]}}
    tables: dict[str, list[dict[str, Any]]] = {
        "treatments": [*TREATMENTS, {"treatment": "electrical_dry_needling", "label": "Electrical dry needling",
                                     "role": "active"},
                       {"treatment": "unnamed_control", "label": "Control not named", "role": "unnamed"}],
        "arms": [{"study_id": "M", "arm_id": a, "treatment": t}
                 for a, t in (("dn", "dry_needling"), ("acu", "acupuncture"), ("edn", "electrical_dry_needling"),
                              ("ctl", "unnamed_control"), ("rev", "other_treatments"))],
        "arm_outcomes": [{"study_id": "M", "arm_id": a} for a in ("dn", "acu", "edn", "ctl")],
    }
    [w] = arms_in_no_node(tables, nodes)
    assert (w["check"], w["ref"], w["file"], w["column"]) == ("arm_in_no_node", "arms.csv:M#3", "arms.csv",
                                                              "treatment")
    assert w["message"].startswith("expected the treatment of arm 'edn' to be in a node of the config, found "
                                   "'electrical_dry_needling' in none: the arm and its 1 row of arm_outcomes.csv "
                                   "enter no analysis. To include it, add 'electrical_dry_needling' to a node's "
                                   "treatments (the config's nodes.<node>.treatments)")
    assert format_warning(w, {w["ref"]: ("arms.csv", 132)}).startswith(
        "arms.csv, row 132 (M#3), column 'treatment': expected the treatment of arm 'edn'")
    # Once in a node, it is not; nor without nodes to read.
    assert arms_in_no_node(tables, {**nodes, "edn": {"label": "E", "treatments": ["electrical_dry_needling"]}}) == []
    assert arms_in_no_node(tables, None) == []
    # The dry run's list holds it, given the nodes, under its study.
    assert [(label, x["ref"]) for label, x in table_warnings({}, tables, nodes)] == [("M", "arms.csv:M#3")]
    assert table_warnings({}, tables) == []
    # The example's arms in no node give no results of their own (a review's mixed
    # controls, trigger point acupuncture stated in words): none is warned about.
    data = read_raw(REPO / "data" / "raw", REPO / "config" / "schemas" / "raw")
    example = {t: [r.values for r in rows] for t, rows in data.tables.items()}
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    assert arms_in_no_node(example, config["nodes"]) == []


# --------------------------------------------------------------------------- two spreads


@pytest.mark.parametrize(("sd", "se", "n", "warns"), [
    (2.1, 0.42, 25, False),   # 2.1 / sqrt(25) = 0.42 exactly
    (1.9, 0.35, 30, False),   # 1.9 / sqrt(30) = 0.3469, printed to two decimals
    (2.1, 0.45, 25, False),   # 0.03 off, within 10 % of 0.45 plus rounding (0.005 + 0.05 / 5)
    (2.1, 0.55, 25, True),    # 0.13 off, past 10 % of 0.55 plus rounding (0.005 + 0.05 / 5): 0.07
    (2.1, 2.1, 25, True),     # the SD typed again in the se column
])
def test_an_se_that_is_not_the_sd_over_root_n_is_warned_about(sd: float, se: float, n: int, warns: bool) -> None:
    ws = [w for w in consistency_warnings(bundle(arm_outcomes=[arm_row("a", 3.0, sd, n, se=se)]))
          if w["check"] == "spread_disagrees"]
    assert bool(ws) is warns
    if warns:
        assert ws[0]["column"] == "se" and ws[0]["ref"] == f"arm_outcomes.csv:{STUDY}#1"
        assert f"= {sd / math.sqrt(n):.4g}" in ws[0]["message"] and f"found {se:g}" in ws[0]["message"]


def test_the_n_of_an_se_check_comes_from_the_arms_table_when_the_row_has_none() -> None:
    # 2.0 / sqrt(100) = 0.2; typed 0.4, the SE of n = 25.
    arms = [{"arm_id": "a", "treatment": "acupuncture", "n_analysed": 100},
            {"arm_id": "b", "treatment": "usual_care"}]
    b = bundle(arms=arms, arm_outcomes=[arm_row("a", 3.0, 2.0, None, se=0.4), arm_row("b", 3.0, 2.0, None, se=0.4)])
    ws = [w for w in consistency_warnings(b) if w["check"] == "spread_disagrees"]
    assert [w["ref"] for w in ws] == [f"arm_outcomes.csv:{STUDY}#1"]  # arm b's n is unknown: nothing to check


@pytest.mark.parametrize(("measure", "lb", "ub", "se", "level", "warns"), [
    # Groups of 30: an MD's interval is read with t on 58 df (qt(0.975, 58) = 2.001717):
    # (-0.02 + 1.98) / (2 x 2.001717) = 0.48958, 0.0104 from 0.5.
    ("MD", -1.98, -0.02, 0.5, None, False),
    ("MD", -1.98, -0.02, 0.25, None, True),     # half of it: an SE of another scale or group
    # 90 %: 1.64 / (2 x 1.671553) = 0.4906 (qt(0.95, 58)), 0.0594 from 0.55, within 0.055
    # plus rounding (0.005 + 0.005) / 3.34 + 0.005; read as 95 %, 1.64 / 4.003435 = 0.4096,
    # 0.1404 off, past 0.055 + (0.01 / 4.00 + 0.005).
    ("MD", -1.82, -0.18, 0.55, 90, False),
    ("MD", -1.82, -0.18, 0.55, None, True),
    ("SMD", -0.89, -0.01, 0.2245, None, False),  # 0.88 / 3.919928 = 0.22449
    ("RR", 0.5, 2.0, 0.9, None, False),          # a ratio's SE is on the log scale: not compared
])
def test_a_contrast_se_that_is_not_its_interval_s_is_warned_about(measure: str, lb: float, ub: float, se: float,
                                                                   level: float | None, warns: bool) -> None:
    est = 1.0 if measure == "RR" else (lb + ub) / 2
    row = contrast(measure, est, ci_lb=lb, ci_ub=ub, se=se, ci_level=level, n1=30, n2=30)
    ws = [w for w in consistency_warnings(bundle(contrasts=[row])) if w["check"] == "spread_disagrees"]
    assert bool(ws) is warns
    if warns:
        assert ws[0]["column"] == "se" and "the interval is used" in ws[0]["message"]


def test_a_small_trial_s_md_interval_is_read_with_t_as_its_effect_reads_it() -> None:
    # Groups of 3: the interval of 0 +/- 1.39 is 0 +/- t SE with t = qt(0.975, 4) = 2.776445,
    # so SE = 2.78 / 5.55289 = 0.5006, the 0.5 typed. Read with z it would be 2.78 / 3.92 =
    # 0.7092, 42% off, and the row would be warned about for nothing.
    row = contrast("MD", 0.0, ci_lb=-1.39, ci_ub=1.39, se=0.5, n1=3, n2=3)
    assert [w for w in consistency_warnings(bundle(contrasts=[row])) if w["check"] == "spread_disagrees"] == []
    # An SE of another scale is still caught, and the message gives the t used.
    row = contrast("MD", 0.0, ci_lb=-1.39, ci_ub=1.39, se=0.25, n1=3, n2=3)
    ws = [w for w in consistency_warnings(bundle(contrasts=[row])) if w["check"] == "spread_disagrees"]
    assert len(ws) == 1 and "(2 \u00d7 2.78)" in ws[0]["message"]


# --------------------------------------------------------------------------- signs of changes


def test_arms_whose_changes_are_signed_differently_are_warned_about() -> None:
    # "Pain fell by 3.1 and by 1.8": the sham row typed as a rise of 1.8. Read as typed the
    # MD would be -3.1 - 1.8 = -4.9 instead of -3.1 - (-1.8) = -1.3.
    rows = [arm_row("a", 3.1, 1.9, 25, value_type="change", change_sign="decrease_positive"),
            arm_row("b", 1.8, 2.0, 24, value_type="change", change_sign="decrease_negative")]
    [w] = consistency_warnings(bundle(arm_outcomes=rows))
    assert (w["check"], w["ref"], w["column"]) == ("change_sign_differs", f"arm_outcomes.csv:{STUDY}#2", "change_sign")
    assert w["related"] == [f"arm_outcomes.csv:{STUDY}#1"]
    assert "'decrease_positive'" in w["message"] and "found 'decrease_negative'" in w["message"]
    # Signed alike, or at another timepoint, or final values: nothing to say.
    alike = [rows[0], {**rows[1], "change_sign": "decrease_positive"}]
    assert checks_of(bundle(arm_outcomes=alike)) == []
    later = [rows[0], arm_row("b", 1.8, 2.0, 24, value_type="change", change_sign="decrease_negative", weeks=26)]
    assert "change_sign_differs" not in checks_of(bundle(arm_outcomes=later))


def test_a_second_contrast_of_one_arm_pair_is_warned_about() -> None:
    # The MD row pasted and edited for an analysis of another population, its arms unchanged
    # (here written the other way round, b vs a: the same pair).
    rows = [contrast("MD", -1.0, ci_lb=-1.9, ci_ub=-0.1, n1=45, n2=44),
            contrast("MD", 1.3, sign="arm1_minus_arm2", ci_lb=0.5, ci_ub=2.1, n1=44, n2=45, arm1="b", arm2="a")]
    [w] = consistency_warnings(bundle(contrasts=rows))
    assert (w["check"], w["ref"], w["column"]) == ("repeated_contrast", f"contrasts.csv:{STUDY}#2", "arm1")
    assert w["related"] == [f"contrasts.csv:{STUDY}#1"] and "found another" in w["message"]
    # Another timepoint, measure or instrument is another result.
    assert checks_of(bundle(contrasts=[rows[0], {**rows[1], "timepoint_weeks": 26}])) == []
    assert checks_of(bundle(contrasts=[rows[0], contrast("SMD", -0.5, ci_lb=-0.9, ci_ub=-0.1, n1=45, n2=44)])) == []


# --------------------------------------------------------------------------- weeks of one arm


def test_an_arm_row_whose_weeks_no_other_arm_gives_is_warned_about() -> None:
    # The sham row's 6 typed as 8, no labels to tell: each row pairs with none.
    rows = [arm_row("a", 3.2, 1.8, 30, weeks=6), arm_row("b", 4.5, 2.0, 30, weeks=8)]
    ws = [w for w in consistency_warnings(bundle(arm_outcomes=rows)) if w["check"] == "weeks_unpaired"]
    assert [(w["ref"], w["column"]) for w in ws] == [(f"arm_outcomes.csv:{STUDY}#1", "timepoint_weeks"),
                                                     (f"arm_outcomes.csv:{STUDY}#2", "timepoint_weeks")]
    assert "expected the weeks of another arm's final row on VAS_0_10 (8), found 6" in ws[0]["message"]
    assert ws[0]["related"] == [f"arm_outcomes.csv:{STUDY}#2"]
    # Paired, or one arm followed up once more, or another value type: nothing to say.
    assert checks_of(bundle(arm_outcomes=[rows[0], {**rows[1], "timepoint_weeks": 6}])) == []
    extra = [rows[0], arm_row("a", 3.0, 1.8, 30, weeks=26), {**rows[1], "timepoint_weeks": 6}]
    assert checks_of(bundle(arm_outcomes=extra)) == []
    change = arm_row("b", 1.0, 2.0, 30, weeks=8, value_type="change", change_sign="decrease_positive")
    assert checks_of(bundle(arm_outcomes=[rows[0], change])) == []


def test_binary_arms_of_the_same_size_but_other_counts_are_not_a_repeated_trial() -> None:
    # Two smoking-cessation trials of 150 + 150: 45/150 vs 20/150 and 30/150 vs 18/150 are
    # different results. Comparing the n alone named them as one trial entered twice.
    from metareview.checks import repeated_arm_values

    def doc(sid: str, counts: dict[str, tuple[int, int | None, float | None]]) -> dict:
        rows = [{"arm_id": arm, "outcome": "responder", "instrument": "abstinence", "timepoint_weeks": 26,
                 "timepoint_label": None, "value_type": "events" if events is not None else "percent_responders",
                 "events": events, "percent": percent, "raw": {"n": n}}
                for arm, (n, events, percent) in counts.items()]
        return {"study": {"study_id": sid, "label": f"{sid} et al."},
                "arm_values": [{**r, "ref": f"arm_outcomes.csv:{sid}#{i}"} for i, r in enumerate(rows, 1)]}

    vale = doc("Vale", {"v": (150, 45, None), "p": (150, 20, None)})
    pane = doc("Pane", {"n": (150, 30, None), "p": (150, 18, None)})
    assert repeated_arm_values([vale, pane]) == []
    # The same counts under another id are still found.
    twin = doc("ValeB", {"a": (150, 20, None), "b": (150, 45, None)})
    assert repeated_arm_values([vale, twin]) == [[("Vale et al.", "arm_outcomes.csv:Vale#1"),
                                                  ("ValeB et al.", "arm_outcomes.csv:ValeB#1")]]
    # Percentages of responders likewise: 25% and 10% of 120 are not 30% and 12% of 120.
    vora = doc("Vora", {"v": (120, None, 25.0), "p": (120, None, 10.0)})
    other = doc("Other", {"v": (120, None, 30.0), "p": (120, None, 12.0)})
    assert repeated_arm_values([vora, other]) == []


@pytest.mark.parametrize(("label", "span"), [
    # By hand, a month 4 to 4.35 weeks: 8 + 1 x 4 = 12 and 8 + 1 x 4.35 = 12.35.
    ("1-month independent assessment (after the 8-week course)", (12.0, 12.35)),
    ("6 months", (24.0, 26.1)),
    ("three months", (12.0, 13.05)),
    ("week 8 (immediate post-treatment)", (8.0, 8.0)),
    ("day 56", (8.0, 8.0)),
    ("1 year", (48.0, 52.18)),
    # Bounds and ranges name no one time; nor do words with no duration.
    ("<1 month", None), ("12-24 weeks", None), ("6 weeks or less", None), ("post treatment", None),
])
def test_a_labels_durations_add_up_by_the_month_rule(label: str, span: tuple[float, float] | None) -> None:
    from metareview.checks import label_weeks_span

    got = label_weeks_span(label)
    assert got == (None if span is None else pytest.approx(span, abs=1e-9))


def test_a_timepoint_whose_words_may_pass_a_window_bound_is_at_its_edge() -> None:
    from metareview.checks import window_edge

    short, medium = {"min_weeks": 1, "max_weeks": 12}, {"min_weeks": 13, "max_weeks": 26}
    # Carlsson 2001: 12 to 12.35 weeks, entered as 12, in a window ending at 12.
    assert window_edge("1-month independent assessment (after the 8-week course)", 12, short) == {
        "side": "upper", "bound": 12.0, "low": 12.0, "high": pytest.approx(12.35), "weeks": 12.0}
    # Three months is 12 to 13.05 weeks: week 12 may be after the short window's end, week
    # 13 before the medium window's start.
    assert window_edge("3 months", 12, short)["side"] == "upper"
    assert window_edge("3 months", 13, medium) == {"side": "lower", "bound": 13.0, "low": 12.0,
                                                   "high": pytest.approx(13.05), "weeks": 13.0}
    # Six months passes week 26 by 0.1 week, under a day (1/7 = 0.143): not at the edge.
    assert window_edge("6 months", 26, medium) is None
    # Weeks are exact, and words in weeks pass no bound.
    assert window_edge("week 12", 12, short) is None
    # Weeks that are not the words' sum (more than half a week off) are not read from them.
    assert window_edge("week 8 (after 6 weeks of treatment)", 8, short) is None
    assert window_edge("3 months", 10, short) is None
    # No words, no weeks, or a window without that bound.
    assert window_edge(None, 12, short) is None
    assert window_edge("3 months", None, short) is None
    assert window_edge("3 months", 12, {"min_weeks": 1}) is None


@pytest.mark.parametrize("label, year, warns", [
    ("Okafor et al. (2020)", 2021, True),  # the year typed anew, the label left as it was
    ("Okafor et al. (2020)", 2020, False),
    ("Molsberger et al. (presumed 2002)", 2002, False),
    ("Acupunct Med 2020 meta-analysis (authors unverified)", 2020, False),
    ("Hegu acupuncture trial", 2012, False),  # no year in the label: nothing to compare
    ("Okafor et al. (2020)", None, False),
])
def test_a_label_whose_year_is_not_the_study_s_is_warned_about(label: str, year: int | None, warns: bool) -> None:
    b = bundle()
    b["study"] = {"study_id": STUDY, "label": label, **({"year": year} if year is not None else {})}
    ws = [w for w in consistency_warnings(b) if w["check"] == "label_year"]
    assert bool(ws) is warns
    if warns:
        assert ws[0]["ref"] == f"studies.csv:{STUDY}#1" and ws[0]["file"] == "studies.csv"
        assert ws[0]["column"] == "year" and "expected the year its label gives (2020), found year 2021" in ws[0]["message"]
        # A study's one row in studies.csv, without the "#1" of a study's n-th row elsewhere.
        assert format_warning(ws[0], {ws[0]["ref"]: ("studies.csv", 9)}).startswith(
            f"studies.csv, row 9 ({STUDY}), column 'year': expected")


def test_a_study_s_own_row_is_resolved_for_a_warning_that_points_at_it() -> None:
    # The warnings table gives a warning's spreadsheet row from its ref: a study's own row
    # in studies.csv too (its header is row 1, the example's first study row 2).
    repo = Path(__file__).resolve().parents[2]
    rows = resolve_refs(read_raw(repo / "data" / "raw", repo / "config" / "schemas" / "raw"))
    assert rows["studies.csv:Chen2022#1"] == ("studies.csv", 2)


# --------------------------------------------------------------------------- what a dry run can check


def test_the_checks_on_the_tables_alone_raise_each_study_s_warnings_and_the_arms_codes() -> None:
    from metareview.checks import consistency_warnings, table_warnings, warning_key
    from metareview.rawdata import study_bundles

    data = read_raw(REPO / "data" / "raw", REPO / "config" / "schemas" / "raw")
    bundles = study_bundles(data)
    tables = {t: [dict(r.values) for r in rows] for t, rows in data.tables.items()}
    found = table_warnings(bundles, tables)
    # The example's warnings on its rows, each under its study's label, in study order.
    expected = [w for study in sorted(bundles) for w in consistency_warnings(bundles[study])]
    assert expected and [w for _, w in found] == expected
    labels = {s: b["study"]["label"] for s, b in bundles.items()}
    assert [label for label, _ in found] == [labels[w["ref"].partition(":")[2].rpartition("#")[0]] for w in expected]
    # An arm coded as a sham that names an active treatment, under its study, after them.
    last = max(i for i, r in enumerate(tables["arms"]) if r["treatment"] == "sham_acupuncture")
    tables["arms"][last]["description"] = "Acupuncture, 10 sessions"
    *same, (label, w) = table_warnings(bundles, tables)
    assert same == found and w["check"] == "sham_arm_names_active"
    assert label == labels[tables["arms"][last]["study_id"]]
    # The name a warning keeps between builds: its check, row and column, not its message.
    assert warning_key(w) == f"sham_arm_names_active {w['ref']} treatment"
    assert warning_key({**w, "message": "another"}) == warning_key(w)
    assert warning_key({**w, "column": None}) == f"sham_arm_names_active {w['ref']} None"


# --------------------------------------------------------------------------- keys kept between builds


def _stable_keys(tables: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """Each warning the tables alone raise, by the key the key results keep, to its place."""
    from metareview.checks import row_identities, stable_warning_key, table_warnings, warning_key

    bundles: dict[str, dict[str, Any]] = {}
    for row in tables["studies"]:
        bundles[row["study_id"]] = {"study": dict(row), "instruments": tables["instruments"],
                                    "treatments": tables["treatments"], "sources": []}
    for table in ("arms", "arm_outcomes", "contrasts"):
        ordinals: dict[str, int] = {}
        for row in tables[table]:
            n = ordinals[row["study_id"]] = ordinals.get(row["study_id"], 0) + 1
            bundles[row["study_id"]].setdefault(table, []).append({**row, "_ref": f"{table}.csv:{row['study_id']}#{n}"})
    identities = row_identities(tables)
    found = {stable_warning_key(warning_key(w), identities): warning_key(w) for _, w in table_warnings(bundles, tables)}
    assert len(found) == len(table_warnings(bundles, tables))  # one key each
    return found


def test_a_warning_keeps_its_key_when_the_tables_are_sorted_otherwise() -> None:
    from metareview.checks import placed_warning_keys

    # The example's tables sorted by another column (no cell edited): each warning was
    # keyed by its row's place among its study's rows, and the build raised old warnings
    # as new. Keyed by what the row is, each keeps its key, though its place changed.
    data = read_raw(REPO / "data" / "raw", REPO / "config" / "schemas" / "raw")
    tables = {t: [dict(r.values) for r in rows] for t, rows in data.tables.items()}
    before = _stable_keys(tables)
    resorted = dict(tables)
    for table, column in (("arm_outcomes", "instrument"), ("arms", "treatment"), ("contrasts", "estimate"),
                          ("studies", "year")):
        resorted[table] = sorted(tables[table], key=lambda r, c=column: (r.get(c) is None, str(r.get(c))))
    after = _stable_keys(resorted)
    assert before and after.keys() == before.keys()
    # The rows moved: some warning's place among its study's rows is another now.
    assert any(after[key] != before[key] for key in before)
    assert not placed_warning_keys(after)


def test_a_row_s_identity_is_its_identifying_cells_and_an_ordinal_only_among_rows_alike() -> None:
    from metareview.checks import (
        placed_warning_keys,
        renamed_key,
        row_identities,
        stable_warning_key,
    )

    a = {"study_id": "S", "arm_id": "a", "outcome": "pain", "instrument": "VAS_0_10", "timepoint_weeks": 8.0,
         "value_type": "final", "mean": 3.1}
    b = {**a, "arm_id": "b", "mean": 4.0}
    copy = {**a, "mean": 2.9}  # alike in every identifying cell: told apart by its order alone
    ids = row_identities({"arm_outcomes": [a, b, copy]})
    assert ids == {"arm_outcomes.csv:S#1": "arm_outcomes.csv:S(a; pain; VAS_0_10; 8; ; final)",
                   "arm_outcomes.csv:S#2": "arm_outcomes.csv:S(b; pain; VAS_0_10; 8; ; final)",
                   "arm_outcomes.csv:S#3": "arm_outcomes.csv:S(a; pain; VAS_0_10; 8; ; final)#2"}
    # A row inserted above another of its study, or the rows sorted, leave each its name;
    # weeks read as 8 or 8.0 (a key results' JSON gives either) are one timepoint.
    inserted = {**a, "arm_id": "c", "timepoint_weeks": 4}
    moved = row_identities({"arm_outcomes": [inserted, b, {**a, "timepoint_weeks": 8}, copy]})
    assert moved["arm_outcomes.csv:S#2"] == ids["arm_outcomes.csv:S#2"]
    assert moved["arm_outcomes.csv:S#3"] == ids["arm_outcomes.csv:S#1"]
    key = "value_not_in_quote arm_outcomes.csv:S#2 mean"
    assert stable_warning_key(key, ids) == "value_not_in_quote arm_outcomes.csv:S(b; pain; VAS_0_10; 8; ; final) mean"
    assert stable_warning_key("value_not_in_quote arm_outcomes.csv:S#3 mean", moved) == (
        "value_not_in_quote arm_outcomes.csv:S(a; pain; VAS_0_10; 8; ; final) mean")
    # Every row a key names, and only rows of study tables; keyed rows are named so already.
    group = "repeated arm_outcomes.csv:S#1 arm_outcomes.csv:S#2"
    assert stable_warning_key(group, ids) == f"repeated {ids['arm_outcomes.csv:S#1']} {ids['arm_outcomes.csv:S#2']}"
    for kept in ("uncited_source sources.csv:doc source_id", "label_year studies.csv:S#1 label", "stale_codebook"):
        assert stable_warning_key(kept, ids) == kept and not placed_warning_keys([kept])
    assert placed_warning_keys([key]) and not placed_warning_keys([stable_warning_key(key, ids)])
    # A study renamed keeps its warnings in either form.
    assert renamed_key(stable_warning_key(key, ids), {"S": "T"}) == (
        "value_not_in_quote arm_outcomes.csv:T(b; pain; VAS_0_10; 8; ; final) mean")
    assert renamed_key(key, {"S": "T"}) == "value_not_in_quote arm_outcomes.csv:T#2 mean"


# --------------------------------------------------------------------------- why a size is blank


@pytest.mark.parametrize(("table", "row", "warns"), [
    # The notes say the source gives no size, the cell that decides the report's words is empty.
    ("arms", {"arm_id": "a", "treatment": "acupuncture", "notes": "Per-arm n not reported."}, True),
    ("arm_outcomes", {"notes": "Mean percentage reduction; per-arm n and SD not given."}, True),
    ("contrasts", {"n1": 30, "notes": "Arm sizes not reported."}, True),  # n2 still blank
    # The cell set, or a size given: nothing to ask.
    ("arms", {"arm_id": "a", "treatment": "acupuncture", "notes": "Per-arm n not reported.",
              "n_missing_reason": "not_reported"}, False),
    ("arms", {"arm_id": "a", "treatment": "acupuncture", "n_randomised": 40, "notes": "Per-arm n not reported."}, False),
    ("arm_outcomes", {"n": 30, "notes": "per-arm n not given"}, False),
    ("contrasts", {"n1": 30, "n2": 31, "notes": "Arm sizes not reported."}, False),
    # Notes that do not say the source lacks it (the number not read yet) ask nothing.
    ("arm_outcomes", {"notes": "Per-arm n not visible in the stored text"}, False),
    # An arm row without its n takes its arm's size, or its arm's reason: the row's own
    # cell decides nothing the report says.
    ("arm_outcomes", {"notes": "per-arm n not given", "arm": {"n_randomised": 40}}, False),
    ("arm_outcomes", {"notes": "per-arm n not given", "arm": {"n_missing_reason": "not_reported"}}, False),
])
def test_notes_saying_an_arm_size_is_not_reported_ask_for_the_cell_that_says_so(
        table: str, row: dict[str, Any], warns: bool) -> None:
    if table == "arms":
        b = bundle(arms=[row, {"arm_id": "b", "treatment": "usual_care"}])
    elif table == "arm_outcomes":
        row = dict(row)
        arm = row.pop("arm", {})
        b = bundle(arms=[{"arm_id": "a", "treatment": "acupuncture", **arm}, {"arm_id": "b", "treatment": "usual_care"}],
                   arm_outcomes=[arm_row("a", 3.0, 1.0, **row), arm_row("b", 3.5, 1.0, n=30)])
    else:
        b = bundle(contrasts=[contrast("MD", -0.5, ci_lb=-1.0, ci_ub=0.0, **row)])
    ws = [w for w in consistency_warnings(b) if w["check"] == "n_reason_only_in_notes"]
    assert bool(ws) is warns
    if warns:
        [w] = ws
        assert (w["ref"], w["file"], w["column"]) == (f"{table}.csv:{STUDY}#1", f"{table}.csv", "n_missing_reason")
        assert w["message"].startswith("expected 'not_reported' where the notes say the source gives no arm size ('")
        assert w["message"].endswith("found an empty cell: the report says the size is not in the raw tables; set "
                                     "the cell, or reword the notes if the source gives the size")


def test_the_example_s_notes_on_unreported_arm_sizes_all_have_their_cell_set() -> None:
    # Every row of the example whose notes say the source gives no arm size carries
    # n_missing_reason: the report's words come from the cell, and none is left to ask.
    data = read_raw(REPO / "data" / "raw", REPO / "config" / "schemas" / "raw")
    for sid, b in study_bundles(data).items():
        assert not [w for w in consistency_warnings(b) if w["check"] == "n_reason_only_in_notes"], sid
    assert any(r.get("n_missing_reason") == "not_reported" for r in data.rows("arm_outcomes"))
