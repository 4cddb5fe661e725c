"""Binary outcomes (responders) end to end: RR, OR and RD from counts, percentages and
reported estimates; pooling on the log scale; report and forest plot of a ratio analysis.

Studies are written as raw bundles (the rows a per-study job sees), normalised with
:func:`metareview.normalise.normalise_study` and passed through :func:`study_effects` and
:func:`pool_analysis`, as the workflow does. Expected values are recomputed here by hand
with the standard library, or taken from metafor 3.8-1 (``tests/reference/metafor``).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from statistics import NormalDist
from typing import Any

import pytest
import yaml
from metafor_tolerances import assert_close, for_quantity

from metareview import plots
from metareview.analysis import pool_analysis
from metareview.claims import check_claims
from metareview.effects import escalc
from metareview.extract import events_from_percent, favours_intervention_when, study_effects
from metareview.indirect import indirect_comparison
from metareview.normalise import normalise_study
from metareview.pool import rma
from metareview.report import ReportContext, build_report, key_results

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = (ROOT / "reports" / "report.qmd").read_text(encoding="utf-8")
METAFOR = ROOT / "tests" / "reference" / "metafor"
Z975 = NormalDist().inv_cdf(0.975)
SVG_NS = "{http://www.w3.org/2000/svg}"

NODES = {"acupuncture": {"label": "Acupuncture", "treatments": ["acupuncture", "electroacupuncture"]},
         "sham": {"label": "Sham", "treatments": ["sham_acupuncture"]},
         "usual_care": {"label": "Usual care", "treatments": ["usual_care"]}}
OUTCOMES = {"pain": {"label": "Pain", "scale_min": 0, "scale_max": 10},
            "responder": {"label": "Responders", "type": "binary"}}
WINDOWS = {"medium": {"label": "Medium term (13 to 26 weeks)", "min_weeks": 13, "max_weeks": 26, "target_weeks": 26}}
INSTRUMENTS = [
    {"instrument": "resp", "label": "Responder", "outcome": "responder", "scale_min": None, "scale_max": None,
     "lower_is_better": False},
    {"instrument": "VAS_0_10", "label": "VAS 0-10", "outcome": "pain", "scale_min": 0, "scale_max": 10,
     "lower_is_better": True},
]
TREATMENTS = [{"treatment": t, "label": t.replace("_", " ").capitalize(), "role": "active"}
              for t in ("acupuncture", "electroacupuncture", "sham_acupuncture", "usual_care")]
LABELS = {"acupuncture": "Acupuncture", "sham": "Sham", "usual_care": "Usual care", "pain": "Pain",
          "responder": "Responders", "medium": "Medium term (13 to 26 weeks)"}
METHODS = {"method": "REML", "test": "knha", "level": 95, "min_studies": 2}
TWO_ARMS = [("int", "acupuncture"), ("ctl", "sham_acupuncture")]


def spaced(text: str) -> str:
    """``text`` with its non-breaking spaces as spaces: where the report keeps words on
    one line (metareview.markdown.keep_together), which these tests do not check."""
    return text.replace("\u00a0", " ")


def analysis(measure: str = "RR", events: str = "beneficial", aid: str | None = None, **kw: Any) -> dict[str, Any]:
    return {"id": aid or f"acu_vs_sham_{measure.lower()}", "intervention": "acupuncture", "comparator": "sham",
            "outcome": "responder", "window": "medium", "measure": measure, "events": events, **kw}


def bundle(values: list[dict[str, Any]] = (), contrasts: list[dict[str, Any]] = (), *, sid: str = "S",
           label: str | None = None, arms: list[tuple[str, str]] = TWO_ARMS) -> dict[str, Any]:
    def refd(rows: list[dict[str, Any]], table: str) -> list[dict[str, Any]]:
        return [{**r, "_ref": f"{table}.csv:{sid}#{i}"} for i, r in enumerate(rows, start=1)]

    return {
        "study": {"study_id": sid, "label": label or f"Study {sid}", "design": "rct", "source_level": "primary",
                  "identity_confidence": "high"},
        "treatments": TREATMENTS, "instruments": INSTRUMENTS,
        "arms": refd([{"arm_id": a, "treatment": t} for a, t in arms], "arms"),
        "arm_outcomes": refd([{"outcome": "responder", "instrument": "resp", "timepoint_weeks": 26.0,
                               "value_type": "events", **v} for v in values], "arm_outcomes"),
        "contrasts": refd([{"outcome": "responder", "instrument": "resp", "timepoint_weeks": 26.0,
                            "sign_convention": "ratio_arm1_over_arm2", **c} for c in contrasts], "contrasts"),
        "statements": [],
    }


def counts(e1: float, n1: float, e2: float, n2: float, **kw: Any) -> list[dict[str, Any]]:
    return [{"arm_id": "int", "events": e1, "n": n1, **kw}, {"arm_id": "ctl", "events": e2, "n": n2, **kw}]


def effects_of(b: dict[str, Any], *analyses: dict[str, Any]) -> dict[str, Any]:
    doc = normalise_study(b, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS)
    return study_effects(doc, list(analyses), windows=WINDOWS)


def option(b: dict[str, Any], a: dict[str, Any]) -> dict[str, Any]:
    return effects_of(b, a)["analyses"][a["id"]]["options"]["binary"]


def reasons(out: dict[str, Any], ref: str) -> list[tuple[str, str]]:
    return [(n["use"], n["reason"]) for n in out["rows"].get(ref, [])]


# --- effects from arm-level counts ---------------------------------------------------------------------

#: GERAC (Haake 2007) at 26 weeks: 47.6% of 387 verum and 44.2% of 387 sham participants responded.
GERAC = [{"arm_id": "int", "value_type": "percent_responders", "percent": 47.6, "n": 387},
         {"arm_id": "ctl", "value_type": "percent_responders", "percent": 44.2, "n": 387}]


def test_gerac_log_rr_from_reconstructed_events_by_hand() -> None:
    opt = option(bundle(GERAC), analysis())
    # events: 47.6 x 387 / 100 = 184.212 -> 184; 44.2 x 387 / 100 = 171.054 -> 171
    a, n1, c, n2 = 184, 387, 171, 387
    assert (opt["events1"], opt["n1"], opt["events2"], opt["n2"]) == (a, n1, c, n2)
    assert opt["yi"] == pytest.approx(math.log((a / n1) / (c / n2)), rel=1e-14)
    assert opt["vi"] == pytest.approx(1 / a - 1 / n1 + 1 / c - 1 / n2, rel=1e-14)
    assert opt["form"] == "arm-level percentages of responders"
    assert opt["flags"] == ["events reconstructed from a percentage: 47.6% of 387 = 184",
                            "events reconstructed from a percentage: 44.2% of 387 = 171"]
    assert any("round(184.212) = 184" in s for s in opt["steps"])


def test_counts_in_words_only_are_placed_by_the_windows_terms_after_those_in_weeks() -> None:
    windows = {"medium": {**WINDOWS["medium"], "terms": ["intermediate term"]}}
    words = counts(30, 100, 20, 100, timepoint_weeks=None, timepoint_label="intermediate term")
    weeks = counts(40, 100, 25, 100)  # at 26 weeks, the target

    def run(values: list[dict[str, Any]]) -> dict[str, Any]:
        doc = normalise_study(bundle(values), nodes=NODES, outcomes=OUTCOMES, windows=windows)
        return study_effects(doc, [analysis()], windows=windows)["analyses"]["acu_vs_sham_rr"]["options"]["binary"]

    assert run(words)["events1"] == 30
    assert run(words + weeks)["events1"] == 40  # weeks known come first


def test_percent_to_events_rounds_half_up_and_counts_win_over_percentages() -> None:
    assert events_from_percent(12.5, 4) == 1  # 0.5 -> 1 (Python's round() would give 0)
    assert events_from_percent(37.5, 4) == 2  # 1.5 -> 2
    assert events_from_percent(62.5, 4) == 3  # 2.5 -> 3 (round() would give 2)
    assert events_from_percent(27.4, 388) == 106
    # Exact halves whose binary product falls just below the half, still rounded up:
    # 64.6% of 250 = 161.5 -> 162, 9.2% of 375 = 34.5 -> 35, 16.4% of 375 = 61.5 -> 62.
    assert events_from_percent(64.6, 250) == 162
    assert events_from_percent(9.2, 375) == 35
    assert events_from_percent(16.4, 375) == 62
    # A percentage row that also gives the count uses the count and raises no flag.
    rows = [{**GERAC[0], "events": 185}, GERAC[1]]
    opt = option(bundle(rows), analysis())
    assert opt["events1"] == 185 and opt["events2"] == 171
    assert opt["flags"] == ["events reconstructed from a percentage: 44.2% of 387 = 171"]


def test_rd_and_or_from_counts_by_hand() -> None:
    a, n1, c, n2 = 30, 80, 18, 75
    p1, p2 = a / n1, c / n2
    rd = option(bundle(counts(a, n1, c, n2)), analysis("RD"))
    assert rd["yi"] == pytest.approx(p1 - p2, rel=1e-14)
    assert rd["vi"] == pytest.approx(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2, rel=1e-14)
    odds = option(bundle(counts(a, n1, c, n2)), analysis("OR"))
    b, d = n1 - a, n2 - c
    assert odds["yi"] == pytest.approx(math.log(a * d / (b * c)), rel=1e-14)
    assert odds["vi"] == pytest.approx(1 / a + 1 / b + 1 / c + 1 / d, rel=1e-14)


def test_a_sparse_table_says_its_interval_is_approximate() -> None:
    # Carlsson 2001: 16/34 vs 2/16. With 2 events in one arm the Wald interval on the log
    # scale is an approximation; it is still shown as metafor computes it.
    opt = option(bundle(counts(16, 34, 2, 16)), analysis())
    assert opt["yi"] == pytest.approx(math.log((16 / 34) / (2 / 16)), rel=1e-14)
    assert opt["flags"] == ["sparse 2\u00d72 table (a cell below 5: 16/34 vs 2/16): the interval is an approximation"]
    # Few non-events count too; a table with every cell at 5 or more is not flagged, and a
    # zero cell has its own flag.
    assert option(bundle(counts(18, 20, 10, 20)), analysis())["flags"][0].startswith("sparse 2\u00d72 table")
    assert option(bundle(counts(5, 20, 5, 10)), analysis())["flags"] == []
    assert not any("sparse" in f for f in option(bundle(counts(0, 20, 5, 21)), analysis())["flags"])


@pytest.mark.parametrize("measure", ["RR", "OR", "RD"])
def test_zero_cell_gets_metafors_continuity_correction(measure: str) -> None:
    opt = option(bundle(counts(0, 20, 5, 21)), analysis(measure))
    ref = escalc(measure, ai=[0], n1i=[20], ci=[5], n2i=[21])
    assert (opt["yi"], opt["vi"]) == (pytest.approx(float(ref.yi[0]), rel=1e-14),
                                       pytest.approx(float(ref.vi[0]), rel=1e-14))
    # by hand: 1/2 added to all four cells -> a = 0.5, n1 = 21, c = 5.5, n2 = 22
    a, n1, c, n2 = 0.5, 21.0, 5.5, 22.0
    by_hand = {"RR": (math.log((a / n1) / (c / n2)), 1 / a - 1 / n1 + 1 / c - 1 / n2),
               "OR": (math.log(a * (n2 - c) / ((n1 - a) * c)), 1 / a + 1 / (n1 - a) + 1 / c + 1 / (n2 - c)),
               "RD": (a / n1 - c / n2, (a / n1) * (1 - a / n1) / n1 + (c / n2) * (1 - c / n2) / n2)}[measure]
    assert opt["yi"] == pytest.approx(by_hand[0], rel=1e-13)
    assert opt["vi"] == pytest.approx(by_hand[1], rel=1e-13)
    assert any("continuity correction" in f for f in opt["flags"])
    # no zero cell: no correction, no flag
    assert not any("continuity" in f for f in option(bundle(counts(1, 20, 5, 21)), analysis(measure))["flags"])


def test_arms_of_one_node_are_combined_by_adding_events_and_sizes() -> None:
    arms = [("a1", "acupuncture"), ("a2", "electroacupuncture"), ("ctl", "sham_acupuncture")]
    rows = [{"arm_id": "a1", "events": 10, "n": 20}, {"arm_id": "a2", "events": 6, "n": 14},
            {"arm_id": "ctl", "events": 2, "n": 16}]
    opt = option(bundle(rows, arms=arms), analysis())
    assert (opt["events1"], opt["n1"]) == (16, 34)
    assert opt["yi"] == pytest.approx(math.log((16 / 34) / (2 / 16)), rel=1e-14)
    assert "2 intervention arms combined" in opt["flags"]


def test_rows_that_cannot_give_a_binary_effect_say_why() -> None:
    rows = [{"arm_id": "int", "events": 10, "n": 20},
            {"arm_id": "ctl", "value_type": "percent_responders", "n": 20},  # neither events nor percent
            {"arm_id": "int", "events": 9, "n": 20, "timepoint_weeks": 6.0},
            {"arm_id": "ctl", "value_type": "final", "mean": 3.0, "sd": 1.0, "n": 20}]
    out = effects_of(bundle(rows), analysis())
    assert out["analyses"]["acu_vs_sham_rr"]["options"] == {}
    assert reasons(out, "arm_outcomes.csv:S#1") == [("excluded", "neither the number of events nor a percentage reported")]
    assert reasons(out, "arm_outcomes.csv:S#3") == [("excluded", "timepoint 6 weeks is outside the window of 13 to 26 weeks")]
    assert out["rows"]["arm_outcomes.csv:S#3"][0]["timepoint"] == {
        "kind": "outside_window", "weeks": [6.0], "window": "medium", "min_weeks": 13.0, "max_weeks": 26.0}
    assert "this analysis is of a binary outcome" in reasons(out, "arm_outcomes.csv:S#4")[0][1]


def test_binary_rows_stay_out_of_continuous_analyses() -> None:
    pain = {"id": "pain_md", "intervention": "acupuncture", "comparator": "sham", "outcome": "responder",
            "window": "medium", "measure": "MD"}
    out = effects_of(bundle(counts(10, 20, 5, 20), [{"arm1": "int", "arm2": "ctl", "measure": "RR",
                                                     "estimate": 2.0, "ci_lb": 1.0, "ci_ub": 4.0}]), pain)
    assert out["analyses"]["pain_md"]["options"] == {}
    assert "binary result" in reasons(out, "arm_outcomes.csv:S#1")[0][1]
    assert "binary measure" in reasons(out, "contrasts.csv:S#1")[0][1]


# --- effects from reported estimates -------------------------------------------------------------------


def test_reported_rr_with_ci_gives_log_rr_and_variance_from_the_log_ci() -> None:
    rr, lb, ub = 1.6, 1.1, 2.4
    opt = option(bundle(contrasts=[{"arm1": "int", "arm2": "ctl", "measure": "RR", "estimate": rr, "ci_lb": lb,
                                    "ci_ub": ub, "n1": 50, "n2": 50}]), analysis())
    assert opt["yi"] == pytest.approx(math.log(rr), rel=1e-15)
    assert opt["vi"] == pytest.approx(((math.log(ub) - math.log(lb)) / (2 * Z975)) ** 2, rel=1e-12)
    assert opt["form"] == "reported risk ratio"


def test_a_reported_ratio_is_flagged_off_centre_only_where_the_consistency_check_warns() -> None:
    # RR 1.6 (1.0 to 2.2): on the log scale 0.470 below and 0.318 above, 19% of the
    # width, within the check's 10% + (0.05/1.0 + 0.05/2.2 + 2 x 0.05/1.6)/0.788 = 27% for
    # printing to one decimal. The midpoint's distance (10% of the width) once flagged it
    # by a rule of its own. RR 1.6 (0.9 to 2.0): 44% against 28%, flagged by both.
    from metareview.checks import consistency_warnings

    def flagged(lb: float, ub: float) -> tuple[bool, bool]:
        row = {"arm1": "int", "arm2": "ctl", "measure": "RR", "estimate": 1.6, "ci_lb": lb, "ci_ub": ub,
               "n1": 50, "n2": 50}
        b = bundle(contrasts=[row])
        effect = any(f.startswith("CI not centred") for f in option(b, analysis())["flags"])
        return effect, any(w["check"] == "ci_not_centred" for w in consistency_warnings(b))

    assert flagged(1.0, 2.2) == (False, False)
    assert flagged(0.9, 2.0) == (True, True)


def test_reported_ratio_comparator_first_is_inverted() -> None:
    # control vs intervention OR 0.5 (0.25 to 1.0): intervention vs control OR 2 (1 to 4)
    opt = option(bundle(contrasts=[{"arm1": "ctl", "arm2": "int", "measure": "OR", "estimate": 0.5, "ci_lb": 0.25,
                                    "ci_ub": 1.0}]), analysis("OR"))
    assert opt["yi"] == pytest.approx(math.log(2.0), rel=1e-15)
    assert opt["vi"] == pytest.approx((math.log(4.0) / (2 * Z975)) ** 2, rel=1e-12)
    assert any("inverted" in s for s in opt["steps"])


@pytest.mark.parametrize(("convention", "events", "expected"), [
    ("arm1_minus_arm2", "beneficial", 0.10),
    ("arm2_minus_arm1", "beneficial", -0.10),
    ("positive_favours_arm1", "beneficial", 0.10),   # more responders in arm1
    ("positive_favours_arm1", "harmful", -0.10),     # fewer harmful events in arm1
    ("favours_arm2", "beneficial", -0.10),           # arm2 has more responders
])
def test_reported_rd_is_oriented_arm1_minus_arm2_as_a_proportion(convention: str, events: str, expected: float) -> None:
    c = {"arm1": "int", "arm2": "ctl", "measure": "RD", "estimate": 0.10, "ci_lb": 0.02, "ci_ub": 0.18,
         "sign_convention": convention}
    opt = option(bundle(contrasts=[c]), analysis("RD", events=events))
    assert opt["yi"] == pytest.approx(expected, abs=1e-15)
    assert opt["vi"] == pytest.approx((0.16 / (2 * Z975)) ** 2, rel=1e-12)


def test_reported_forms_that_cannot_be_used_say_why() -> None:
    contrasts = [
        {"arm1": "int", "arm2": "ctl", "measure": "RD", "estimate": 0.034, "ci_lb": -0.037, "ci_ub": 0.103,
         "sign_convention": "arm1_minus_arm2"},
        {"arm1": "int", "arm2": "ctl", "measure": "RR", "estimate": 1.2, "sign_convention": "ratio_arm1_over_arm2"},
        {"arm1": "int", "arm2": "ctl", "measure": "RR", "estimate": 1.2, "ci_lb": 1.0, "ci_ub": 1.5,
         "sign_convention": "unclear"},
        {"arm1": "int", "arm2": "ctl", "measure": "SMD", "estimate": -0.3, "ci_lb": -0.5, "ci_ub": -0.1,
         "sign_convention": "arm1_minus_arm2"},
    ]
    out = effects_of(bundle(contrasts=contrasts), analysis())
    why = [reasons(out, f"contrasts.csv:S#{i}")[0][1] for i in range(1, 5)]
    assert why[0].startswith("RD reported; this analysis uses RR")
    assert why[1].startswith("RR without a confidence interval")
    assert "numerator" in why[2]
    assert "continuous measure" in why[3]


def test_arm_level_counts_are_preferred_to_the_reported_ratio_at_the_same_timepoint() -> None:
    b = bundle(counts(20, 50, 10, 50), [{"arm1": "int", "arm2": "ctl", "measure": "RR", "estimate": 2.0,
                                         "ci_lb": 1.05, "ci_ub": 3.8}])
    out = effects_of(b, analysis())
    opt = out["analyses"]["acu_vs_sham_rr"]["options"]["binary"]
    assert opt["form"] == "arm-level events"
    assert reasons(out, "contrasts.csv:S#1") == [("superseded", "the same result is available as arm-level data")]


# --- direction ------------------------------------------------------------------------------------------


def test_direction_field_by_measure_and_events() -> None:
    assert favours_intervention_when(analysis("RR")) == "above"
    assert favours_intervention_when(analysis("RD")) == "above"
    assert favours_intervention_when(analysis("OR", events="harmful")) == "below"
    assert favours_intervention_when({"measure": "MD"}) == "below"
    assert favours_intervention_when({"measure": "SMD"}) == "below"
    res = pool_analysis(analysis(), [effects_of(bundle(GERAC), analysis())], methods=METHODS, labels=LABELS)
    assert res["analysis"]["favours_intervention_when"] == "above"
    assert res["analysis"]["scale"] == "log" and res["analysis"]["measure_label"] == "Risk ratio"
    md = {"id": "md", "intervention": "acupuncture", "comparator": "sham", "outcome": "pain", "window": "medium",
          "measure": "MD"}
    res = pool_analysis(md, [], methods=METHODS, labels=LABELS)
    assert (res["analysis"]["favours_intervention_when"], res["analysis"]["scale"]) == ("below", "linear")


# --- pooling --------------------------------------------------------------------------------------------


def bcg() -> dict[str, Any]:
    return json.loads((METAFOR / "dat.bcg__RR.json").read_text(encoding="utf-8"))


def bcg_studies() -> list[dict[str, Any]]:
    """The 13 BCG trials (vaccinated vs not; tuberculosis cases) as one study document each."""
    ref = bcg()
    inp = ref["input"]
    docs = []
    for i, sid in enumerate(ref["slab"]):
        rows = counts(inp["tpos"][i], inp["tpos"][i] + inp["tneg"][i], inp["cpos"][i], inp["cpos"][i] + inp["cneg"][i])
        docs.append(effects_of(bundle(rows, sid=f"T{i + 1:02d}", label=sid), BCG_ANALYSIS))
    return docs


#: Tuberculosis is a harmful event: a risk ratio below 1 favours the vaccine.
BCG_ANALYSIS = analysis("RR", events="harmful", aid="bcg")


def test_pooled_log_rr_equals_rma_and_metafor_on_dat_bcg() -> None:
    ref = bcg()
    res = pool_analysis(BCG_ANALYSIS, bcg_studies(), methods=METHODS, labels=LABELS)
    assert res["status"] == "pooled" and res["k"] == 13
    yi = [s["yi"] for s in res["studies"]]
    vi = [s["vi"] for s in res["studies"]]
    # study effects: metafor's escalc("RR", ai=tpos, bi=tneg, ci=cpos, di=cneg) (same order: T01..T13)
    assert_close(yi, ref["yi"], "elementary", "yi")
    assert_close(vi, ref["vi"], "elementary", "vi")
    fit = rma(yi, vi, method="REML", test="knha", level=95).to_dict(confint=True)
    p = res["pooled"]
    for key in ("estimate", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub", "tau2", "I2", "QE"):
        assert p[key] == pytest.approx(fit[key], rel=1e-12), key
    # metafor rma(yi, vi, method = "REML", test = "knha") with its default convergence
    # (hence "loose"), and the estimate and tau2 of its REML fit run to convergence
    knha = ref["models_knha"]["REML"]
    for key in ("estimate", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub", "tau2"):
        assert_close(p[key], knha[key], "loose", key)
    for key in ("estimate", "tau2"):
        assert_close(p[key], ref["models_tight"]["REML"][key], for_quantity("tight", key), key)
    # display values: exponentiated, and the direction follows the harmful events
    assert p["estimate_exp"] == pytest.approx(math.exp(p["estimate"]), rel=1e-15)
    assert (p["ci_lb_exp"], p["ci_ub_exp"]) == (pytest.approx(math.exp(p["ci_lb"])), pytest.approx(math.exp(p["ci_ub"])))
    # metafor's predict(res, transf = exp) is exp() of its estimate (printed: 0.4894)
    tight_exp = math.exp(ref["models_tight"]["REML"]["estimate"])
    assert_close(p["estimate_exp"], tight_exp, "tight", "estimate_exp")
    assert res["studies"][0]["yi_exp"] == pytest.approx(math.exp(ref["yi"][0]), rel=1e-12)
    assert res["analysis"]["favours_intervention_when"] == "below"
    keys = key_results(_ctx_for([res]))
    assert keys["analyses"]["bcg"]["direction"] == "favours intervention"
    assert keys["analyses"]["bcg"]["significant"] is True


# --- indirect comparison and claims ---------------------------------------------------------------------


def _single(aid: str, comparator: str, e: tuple[int, int, int, int]) -> dict[str, Any]:
    spec = {**analysis(aid=aid), "comparator": comparator}
    arms = [("int", "acupuncture"), ("ctl", "sham_acupuncture" if comparator == "sham" else "usual_care")]
    doc = effects_of(bundle(counts(*e), sid=aid, arms=arms), spec)
    return pool_analysis(spec, [doc], methods=METHODS, labels=LABELS)


def test_indirect_comparison_of_ratios_is_a_ratio_of_ratios_on_the_log_scale() -> None:
    # sham vs usual care through acupuncture: RR(sham vs acu) / RR(usual care vs acu)
    r1 = _single("a_vs_sham", "sham", (40, 100, 30, 100))
    r2 = _single("a_vs_uc", "usual_care", (40, 100, 20, 100))
    spec = {"id": "x", "treatment_a": "sham", "treatment_b": "usual_care", "outcome": "responder", "window": "medium",
            "measure": "RR"}
    x = indirect_comparison(spec, [r1, r2], labels=LABELS)
    (anchored,) = x["anchored"]
    log_rr_ac, log_rr_bc = math.log(0.3 / 0.4), math.log(0.2 / 0.4)  # sham vs acu, usual care vs acu
    assert anchored["estimate"] == pytest.approx(log_rr_ac - log_rr_bc, rel=1e-12)
    assert anchored["estimate_exp"] == pytest.approx(1.5, rel=1e-12)  # (0.3/0.4) / (0.2/0.4)
    v = (1 / 40 - 1 / 100 + 1 / 30 - 1 / 100) + (1 / 40 - 1 / 100 + 1 / 20 - 1 / 100)
    assert anchored["ci_ub_exp"] == pytest.approx(1.5 * math.exp(Z975 * math.sqrt(v)), rel=1e-9)
    assert x["scale"] == "log"


def _claim(outcome: str = "responder") -> dict[str, Any]:
    return {"claim_id": "c", "claim": "Acupuncture works", "quote": "q", "attributed_to": None,
            "attributed_study_id": None, "outcome": outcome, "treatment": "acupuncture", "comparator": None,
            "cointervention": None, "subgroup": None, "claimed_measure": "direction_only"}


def _pooled_rr(e: list[tuple[int, int, int, int]]) -> dict[str, Any]:
    docs = [effects_of(bundle(counts(*x), sid=f"S{i}"), analysis()) for i, x in enumerate(e)]
    return pool_analysis(analysis(), docs, methods={**METHODS, "test": "z"}, labels=LABELS)


def test_claim_direction_follows_the_ratio_analysis() -> None:
    more_responders = _pooled_rr([(60, 100, 30, 100), (55, 100, 30, 100), (70, 120, 35, 120)])
    fewer_responders = _pooled_rr([(30, 100, 60, 100), (30, 100, 55, 100), (35, 120, 70, 120)])
    assert more_responders["pooled"]["ci_lb"] > 0 and fewer_responders["pooled"]["ci_ub"] < 0
    node_of = {"acupuncture": "acupuncture"}
    (v,) = check_claims([_claim()], [], [more_responders], node_of=node_of, labels=LABELS)
    assert v["verdict"] == "supported"
    rr = more_responders["pooled"]["estimate_exp"]
    assert f"RR {rr:.2f}" in v["reason"]  # shown as a ratio, not its log
    (v,) = check_claims([_claim()], [], [fewer_responders], node_of=node_of, labels=LABELS)
    assert v["verdict"] == "not supported"


# --- report ---------------------------------------------------------------------------------------------


def _ctx_for(results: list[dict[str, Any]], docs: list[dict[str, Any]] = (),
             normalised: list[dict[str, Any]] = (), analyses: list[dict[str, Any]] = ()) -> ReportContext:
    config = {"review": {"title": "T", "question": "Q?", "population": "Adults"}, "nodes": NODES,
              "outcomes": OUTCOMES, "windows": WINDOWS, "analyses": list(analyses), "indirect": [],
              "methods": METHODS, "effects": {"assume_equal_arms_from_total": True, "impute_missing_sd": False, "baseline_imbalance_smd": 0.1}}
    provenance = {"checksums": [], "software": {"Python": "3"}, "git_commit": "0", "renderer": "pandoc",
                  "build_date": "2024-01-01"}
    return ReportContext(config=config, labels=LABELS, analyses=results, indirect=[], claims=[], effects=list(docs),
                         normalised=list(normalised), raw_rows={}, raw_tables={}, provenance=provenance,
                         figures={r["analysis"]["id"]: f"figures/{r['analysis']['id']}.forest.svg" for r in results})


@pytest.fixture(scope="module")
def ratio_report() -> tuple[str, dict[str, Any], dict[str, Any]]:
    spec = analysis()
    bundles = [bundle(GERAC, sid="Haake", label="GERAC"), bundle(counts(60, 100, 40, 100), sid="B", label="Trial B"),
               bundle(counts(45, 90, 30, 95), sid="C", label="Trial C")]
    normalised = [normalise_study(b, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS) for b in bundles]
    docs = [study_effects(d, [spec], windows=WINDOWS) for d in normalised]
    res = pool_analysis(spec, docs, methods=METHODS, labels=LABELS)
    text, _, keys = build_report(TEMPLATE, _ctx_for([res], docs, normalised, [spec]))
    return text, res, keys


def test_the_difference_per_1000_is_traced_in_the_audit(ratio_report) -> None:
    text, res, _ = ratio_report
    p = res["pooled"]
    # Comparator risks of the three trials; their median is the assumed comparator risk.
    risks = sorted(s["events2"] / s["n2"] for s in res["studies"])
    acr = risks[1]
    per_1000 = 1000 * acr * math.exp(p["estimate"])
    row = next(line for line in text.splitlines() if "| difference per 1,000 |" in line)
    assert "comparator risk = median of " in row and f"= {acr:.6g}; risk = comparator risk × RR" in row
    assert f"{per_1000:.6g} (" in row and f"difference {per_1000 - 1000 * acr:.6g} (" in row
    assert f"In absolute terms: {round(per_1000)} per 1,000 (" in text


def test_a_single_trials_own_risk_difference_is_in_its_analysiss_own_section() -> None:
    # GERAC (Haake 2007) reports verum minus sham as 3.4% (-3.7% to 10.3%) beside the arms'
    # 47.6% and 44.2% responders. The appendix of raw rows says that difference is printed
    # in the analysis (its section, under the analysis's own heading); the section gave only
    # the difference per 1,000 the ratio implies, and the trial's own stood in the overview
    # above it alone.
    spec = analysis()
    rd = {"arm1": "int", "arm2": "ctl", "measure": "RD", "estimate": 0.034, "ci_lb": -0.037, "ci_ub": 0.103,
          "ci_level": 95.0, "sign_convention": "arm1_minus_arm2"}
    b = bundle(GERAC, [rd], sid="Haake", label="GERAC")
    normalised = [normalise_study(b, nodes=NODES, outcomes=OUTCOMES, windows=WINDOWS)]
    docs = [study_effects(d, [spec], windows=WINDOWS) for d in normalised]
    res = pool_analysis(spec, docs, methods=METHODS, labels=LABELS)
    assert res["status"] == "single_study"
    text, _, _ = build_report(TEMPLATE, _ctx_for([res], docs, normalised, [spec]))
    section = text.split("{#sec-acu-vs-sham-rr}")[1].split("{#sec-")[0]
    # 0.034 x 1,000 = 34 more; -0.037 x 1,000 = 37 fewer; 0.103 x 1,000 = 103 more.
    assert ("own risk difference, from its own analysis, is 34 more per 1,000 (37 fewer to 103 more)"
            in section)


def test_an_assumed_comparator_risk_is_traced_to_the_config() -> None:
    spec = {**analysis(), "comparator_risk": {"value": 0.25, "source": "a population cohort"}}
    docs = [effects_of(bundle(counts(*e), sid=f"S{i}"), spec)
            for i, e in enumerate([(60, 100, 30, 100), (55, 100, 30, 100), (70, 120, 35, 120)])]
    res = pool_analysis(spec, docs, methods={**METHODS, "test": "z"}, labels=LABELS)
    text, audit, _ = build_report(TEMPLATE, _ctx_for([res], docs, [], [spec]))
    per_1000 = round(250 * math.exp(res["pooled"]["estimate"]))
    assert (f"In absolute terms: {per_1000} per 1,000 (") in text
    assert "against 250 per 1,000 with sham (an assumed comparator risk: a population cohort)" in text
    row = next(r for r in audit if r[1] == "difference per 1,000")
    assert row[5] == "config/config.yaml (comparator_risk)"
    assert row[8].startswith("comparator risk = 0.25, assumed in the config (a population cohort); ")
    # The printed difference is the unrounded one, rounded (as GRADEpro computes it), and the
    # row says so beside the exact one it gives as its value.
    exact = 250 * math.exp(res["pooled"]["estimate"]) - 250
    assert f"; printed as the unrounded difference, rounded: {exact:.6g} \u2192 {round(exact)} more (" in row[8]
    assert f"{round(exact)} more per 1,000" in text


def test_other_comparator_risks_give_their_own_rows_by_hand() -> None:
    # A summary-of-findings table's low- and high-risk rows: RR x risk at each.
    scenarios = [{"label": "Low risk", "value": 0.1, "source": "cohort A"},
                 {"label": "High risk", "value": 0.6, "source": "cohort B"}]
    spec = {**analysis(), "risk_scenarios": scenarios}
    docs = [effects_of(bundle(counts(*e), sid=f"S{i}"), spec)
            for i, e in enumerate([(60, 100, 30, 100), (55, 100, 30, 100), (70, 120, 35, 120)])]
    res = pool_analysis(spec, docs, methods={**METHODS, "test": "z"}, labels=LABELS)
    text, audit, _ = build_report(TEMPLATE, _ctx_for([res], docs, [], [spec]))
    p = res["pooled"]
    rr, lo, hi = (math.exp(p[k]) for k in ("estimate", "ci_lb", "ci_ub"))
    line = spaced(next(x for x in text.splitlines() if x.startswith("At other comparator risks: ")))

    def per(x: float) -> str:
        return f"{round(x):,}"

    low = (f"Low risk (100 per 1,000 with sham; cohort A): {per(100 * rr)} per 1,000 ({per(100 * lo)} to "
           f"{per(100 * hi)}) with acupuncture, {per(100 * rr - 100)} more per 1,000")
    assert line.startswith("At other comparator risks: " + low), line
    # 600 x RR is above 1,000 at the upper bound: no bound is given, and why is said.
    assert f"High risk (600 per 1,000 with sham; cohort B): {per(min(600 * rr, 1000))} per 1,000" in line
    assert (f"; no upper limit can be given: {hi:.2f} \u00d7 600 exceeds 1,000) with acupuncture" in line) == (600 * hi > 1000)
    rows = [r for r in audit if r[1].startswith("difference per 1,000 (")]
    assert [r[1] for r in rows] == ["difference per 1,000 (Low risk)", "difference per 1,000 (High risk)"]
    assert rows[0][3] == pytest.approx(100 * rr - 100, rel=1e-12) and rows[0][5] == "config/config.yaml (risk_scenarios)"
    assert rows[0][8].startswith("comparator risk = 0.1, assumed in the config (cohort A); ")
    # The summary keeps the one comparator risk (the trials' here); the section adds these.
    assert "Low risk" not in text.split("## Results")[0]


def _f2(x: float) -> str:
    return f"{x:.2f}"


def test_report_shows_ratios_exponentiated_with_their_direction(ratio_report) -> None:
    text, res, keys = ratio_report
    p = res["pooled"]
    assert res["status"] == "pooled" and p["estimate"] > 0
    rr, lb, ub = (_f2(math.exp(p[k])) for k in ("estimate", "ci_lb", "ci_ub"))
    assert f"Pooled RR **{rr}** (95%\u00a0CI\u00a0{lb} to\u00a0{ub};" in text
    assert f"RR {rr} (95%\u00a0CI\u00a0{lb} to\u00a0{ub}; k\u00a0=\u00a03)" in text  # summary, "k = 3" unbroken
    text = spaced(text)
    assert "Measure: risk ratio" in text and "(risk ratio, log scale)" in text
    assert "Risk ratios above 1 favour acupuncture (analysed on the log scale, shown exponentiated)." in text
    # Said of a single trial's figure too, where "pooled" would not be true (the methods
    # say how pooled ratios are computed).
    assert not [line for line in text.splitlines() if line.startswith("![") and "pooled on the log" in line]
    assert f"prediction interval {_f2(math.exp(p['pi_lb']))} to {_f2(math.exp(p['pi_ub']))}" in text
    # the log value is not what the reader sees
    assert f"Pooled RR **{_f2(p['estimate'])}**" not in text
    gerac = next(s for s in res["studies"] if s["study_id"] == "Haake")
    assert f"| {_f2(gerac['yi_exp'])} | {_f2(gerac['ci_lb_exp'])} to {_f2(gerac['ci_ub_exp'])} |" in text
    assert "184/387 vs 171/387" in text and "Events/n (int. vs comp.)" in text
    assert "events reconstructed from a percentage: 47.6% of 387 = 184" in text
    # A review of a binary outcome alone has no common scale to describe.
    assert "Binary outcomes** (RR)" in text and "**Common scales**" not in text
    assert "used: 3." in text  # no "(binary values)": final values and change scores do not apply
    entry = keys["analyses"][res["analysis"]["id"]]
    assert entry["direction"] == "favours intervention"  # estimate > 0 and responders are good
    assert entry["estimate_exp"] == pytest.approx(math.exp(p["estimate"]))
    assert entry["significant"] is False and "the confidence interval is compatible with no difference" in text


@pytest.mark.parametrize(("events", "favoured"), [("beneficial", "Acupuncture"), ("harmful", "Sham")])
def test_summary_and_bottom_line_say_whom_a_clear_ratio_favours(events: str, favoured: str) -> None:
    # more events with acupuncture in every trial: good for responders, bad for harms
    spec = analysis(events=events)
    docs = [effects_of(bundle(counts(*e), sid=f"S{i}"), spec)
            for i, e in enumerate([(60, 100, 30, 100), (55, 100, 30, 100), (70, 120, 35, 120)])]
    res = pool_analysis(spec, docs, methods={**METHODS, "test": "z"}, labels=LABELS)
    p = res["pooled"]
    assert p["ci_lb"] > 0
    text, _, keys = build_report(TEMPLATE, _ctx_for([res], docs, [], [spec]))
    rr = _f2(p["estimate_exp"])
    # Comparator risks 30%, 30% and 35/120: the median, 300 per 1,000, times the pooled RR.
    per_1000 = round(300 * p["estimate_exp"])
    assert (f"the whole confidence interval favours {favoured.lower()}. In absolute terms, {per_1000} per 1,000 (") in text
    assert ("against 300 per 1,000 with sham (the median comparator risk of 3\u00a0trials): "
            f"{per_1000 - 300} more per 1,000 (") in text
    text = spaced(text)
    interval = f"{_f2(math.exp(p['ci_lb']))} to {_f2(math.exp(p['ci_ub']))}"
    assert f"(responders), RR {rr} (95% CI {interval}), favouring {favoured.lower()}." in text  # bottom line
    assert keys["analyses"][spec["id"]]["direction"] == (
        "favours intervention" if favoured == "Acupuncture" else "favours comparator")


def test_changes_section_compares_ratios_as_ratios(ratio_report) -> None:
    from metareview.report import changes_section

    _, res, keys = ratio_report
    aid = res["analysis"]["id"]
    before = copy.deepcopy(keys)
    before["analyses"][aid].update(estimate=0.0, estimate_exp=1.0, direction="favours comparator")
    text = changes_section(keys, before)
    # By its title then its id, as the appendices name it, and the estimate by its measure:
    # a bare "estimate 1.00 → 1.32" did not say it was a risk ratio.
    assert (f"- Acupuncture vs Sham: responders, medium term (`{aid}`): pooled RR 1.00 → "
            f"{_f2(math.exp(res['pooled']['estimate']))};") in text
    # Key results kept before the measure and titles were: as they were given.
    old_keys = copy.deepcopy(before)
    del old_keys["analyses"][aid]["measure"], old_keys["analysis_titles"]
    now_keys = copy.deepcopy(keys)
    del now_keys["analyses"][aid]["measure"], now_keys["analysis_titles"]
    assert f"`{aid}` (" in changes_section(now_keys, old_keys)
    assert f"estimate 1.00 → {_f2(math.exp(res['pooled']['estimate']))}" in changes_section(now_keys, old_keys)
    # The side by the treatment's name, as the rest of the report gives it.
    assert "**direction changed**: the point estimate has moved to the side of acupuncture" in text
    # Key results kept before the name was: the side as they give it.
    del keys["analyses"][aid]["favoured"]
    assert "**direction changed**: the point estimate has moved to the side of intervention" in changes_section(keys,
                                                                                                        before)


# --- forest plot ----------------------------------------------------------------------------------------


def _svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]


def test_forest_plot_of_a_ratio_analysis_has_a_log_axis_and_ratio_labels(ratio_report, tmp_path: Path) -> None:
    _, res, _ = ratio_report
    fig = plots._layout_forest(res)
    ticks = list(fig.axis.ticks)
    tick_labels = list(fig.axis.tick_labels)
    # positions are log ratios, labels the ratios: equal spacing on the axis = equal ratios
    assert ticks == pytest.approx([math.log(float(t)) for t in tick_labels], abs=1e-12)
    assert "1" in tick_labels and 0.0 in ticks  # the line of no effect at RR = 1
    # every drawn interval lies inside the axis
    values = [v for s in res["studies"] for v in (s["ci_lb"], s["ci_ub"])] + [res["pooled"]["pi_lb"],
                                                                               res["pooled"]["pi_ub"]]
    assert ticks[0] <= min(values) and ticks[-1] >= max(values)
    assert fig.axis.log and fig.axis.label == "Risk ratio (log scale)"

    svg, png = tmp_path / "f.svg", tmp_path / "f.png"
    plots.forest_plot(res, svg, png)
    texts = _svg_texts(svg)
    gerac = next(s for s in res["studies"] if s["study_id"] == "Haake")
    assert f"{_f2(gerac['yi_exp'])} ({_f2(gerac['ci_lb_exp'])} to {_f2(gerac['ci_ub_exp'])})" in texts
    p = res["pooled"]
    assert f"{_f2(p['estimate_exp'])} ({_f2(p['ci_lb_exp'])} to {_f2(p['ci_ub_exp'])})" in texts
    # Events and their header as the table of study effects below the figure prints them.
    assert "184/387 vs 171/387" in texts and "Events/n (int. vs comp.)" in texts
    # responders: the intervention's side is the right of the line of no effect
    assert any(t.startswith("\u2190 Favours Sham") for t in texts)
    assert any(t.startswith("Favours Acupuncture") and t.endswith("\u2192") for t in texts)
    assert png.stat().st_size > 0


def test_forest_plot_of_a_continuous_analysis_keeps_its_linear_axis_and_sides() -> None:
    res = {"analysis": {"intervention_label": "Acupuncture", "comparator_label": "Sham", "measure": "MD",
                        "measure_label": "Mean difference"},
           "status": "single_study", "reason": "one", "external": [], "pooled": None,
           "studies": [{"label": "A", "yi": -1.0, "vi": 0.1, "ci_lb": -1.6, "ci_ub": -0.4, "n1": 10, "n2": 10}]}
    fig = plots._layout_forest(res)
    assert not fig.axis.log and fig.axis.label == "Mean difference"
    texts = [t.text for t in fig.items if isinstance(t, plots._Text)]
    assert any(t.startswith("\u2190 Favours Acupuncture") for t in texts)


@pytest.mark.parametrize("values", [[0.0], [-0.1, 0.25], [-0.02, 2.67], [-4.0, 3.0], [1.0, 1.01]])
def test_ratio_ticks_cover_the_data_and_the_null(values: list[float]) -> None:
    ticks = plots._ratio_ticks(values)
    pos = [t for t, _ in ticks]
    assert pos == sorted(pos) and len({label for _, label in ticks}) == len(ticks)
    assert pos[0] <= min(values + [0.0]) and pos[-1] >= max(values + [0.0])
    assert 3 <= len(ticks) <= 10


# --- config ---------------------------------------------------------------------------------------------


def test_config_defines_binary_analyses_and_the_schema_guards_them() -> None:
    # The workflow validates with Snakemake's validator (which also fills defaults and
    # cannot walk boolean subschemas), so the same call is used here.
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    schema = str(ROOT / "config" / "schemas" / "config.schema.yaml")
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    validate(copy.deepcopy(config), schema)
    binary = {a["id"]: a for a in config["analyses"] if a["measure"] in ("RR", "OR", "RD")}
    assert {"acupuncture_vs_sham_responders", "acupuncture_vs_usual_care_responders"} <= set(binary)
    assert all(a["events"] == "beneficial" for a in binary.values())

    def rejected(change: Any) -> bool:
        bad = copy.deepcopy(config)
        change(bad)
        try:
            validate(bad, schema)
        except WorkflowError:
            return True
        return False

    assert rejected(lambda c: next(a for a in c["analyses"] if a["measure"] == "RR").pop("events"))
    assert rejected(lambda c: next(a for a in c["analyses"] if a["measure"] == "MD").update(events="beneficial"))
    assert rejected(lambda c: c["outcomes"]["pain"].pop("scale_max"))  # a continuous outcome needs its scale
    assert rejected(lambda c: c["outcomes"]["responder"].update(scale_min=0, scale_max=1))
    assert not rejected(lambda c: None)


def test_a_sparse_single_trial_gives_fishers_exact_test_beside_its_wald_interval() -> None:
    # Carlsson 2001: 16 of 34 improved with acupuncture, 2 of 16 with placebo TENS. The
    # Wald interval of the log RR includes 1; Fisher's exact test (R: fisher.test, p =
    # 0.02634, tests/reference/fisher) does not agree with it.
    spec = analysis()
    docs = [effects_of(bundle(counts(16, 34, 2, 16)), spec)]
    res = pool_analysis(spec, docs, methods=METHODS, labels=LABELS)
    [study] = res["studies"]
    assert study["exact_p"] == pytest.approx(0.026339409319712386, rel=1e-12)
    assert study["ci_lb"] < 0 < study["ci_ub"]  # log scale: the interval includes RR 1
    text, _, _ = build_report(TEMPLATE, _ctx_for([res], docs, [], [spec]))
    # The two disagree: the exact test's finding, the interval as the less reliable here, and
    # how few events the finding rests on (a third event with sham: p = 0.068, as R's
    # fisher.test(matrix(c(16, 18, 3, 13), 2, byrow = TRUE)) gives).
    from metareview.distributions import fisher_exact_p

    third = fisher_exact_p(16, 18, 3, 13)
    assert third == pytest.approx(0.06779216, abs=1e-8)
    assert ("RR 3.76 (95%\u00a0CI\u00a00.98 to\u00a014.44); Fisher\u2019s exact test finds a difference favouring "
            "acupuncture (p\u00a0=\u00a00.026), which this approximate (Wald) interval, unreliable with counts this "
            "sparse (a cell of 2), does not; that finding rests on very few events: one more event among those given "
            "sham (3 of 16 rather than 2) would remove it (p\u00a0=\u00a00.068)") in text
    assert "the better guide" not in text
    assert "compatible with no difference" not in text.split("## Question")[0]
    # The analysis's own section gives the exact test too, beside the flag that calls the
    # interval an approximation (Fisher: p = 0.02634 in R).
    row = next(line for line in text.split("## Results")[1].splitlines() if "sparse 2\u00d72 table" in line)
    assert "the interval is an approximation; Fisher\u2019s exact test (two-sided): p\u00a0=\u00a00.026 |" in row
    # Where the two agree (6 of 34 against 2 of 16), the interval says it and the exact test is given beside it.
    docs = [effects_of(bundle(counts(6, 34, 2, 16)), spec)]
    res = pool_analysis(spec, docs, methods=METHODS, labels=LABELS)
    assert res["studies"][0]["exact_p"] > 0.05
    text, _, _ = build_report(TEMPLATE, _ctx_for([res], docs, [], [spec]))
    assert "the better guide" not in text
    assert "compatible with no difference" in text
    assert ". With counts this sparse (a cell of 2), Fisher\u2019s exact test gives p\u00a0=\u00a0" in text
    # Cells of 5 or more: no exact test is given.
    res = pool_analysis(spec, [effects_of(bundle(counts(16, 34, 5, 16)), spec)], methods=METHODS, labels=LABELS)
    assert "exact_p" not in res["studies"][0]


def test_pooled_sparse_trials_each_give_fishers_exact_test_and_the_methods_say_so() -> None:
    # Two sparse trials pooled: each effect in the study table carries its exact p, as a
    # single trial's does, and the methods say it of each such trial, not only of an
    # analysis's one trial.
    from metareview.distributions import fisher_exact_p
    from metareview.report.sections import _binary_effects_text

    spec = analysis()
    docs = [effects_of(bundle(counts(*c), sid=f"S{i}"), spec)
            for i, c in enumerate([(16, 34, 2, 16), (6, 34, 2, 16), (16, 34, 5, 16)])]
    res = pool_analysis(spec, docs, methods=METHODS, labels=LABELS)
    assert res["pooled"]["k"] == 3
    exact = {s["study_id"]: s.get("exact_p") for s in res["studies"]}
    assert exact == {"S0": pytest.approx(fisher_exact_p(16, 18, 2, 14), rel=1e-12),
                     "S1": pytest.approx(fisher_exact_p(6, 28, 2, 14), rel=1e-12), "S2": None}
    methods = " ".join(_binary_effects_text(["RR"]).split())
    assert ("The effect of each trial whose 2×2 table has a cell below 5 also gets Fisher's exact test (two-sided), "
            "beside it in its analysis's study effects") in methods


def test_fishers_exact_p_has_an_audit_row_of_its_own() -> None:
    # Carlsson 2001's counts: 16 of 34 against 2 of 16. The report prints Fisher's p beside
    # the sparse table's interval; the audit traces it to the rows and columns the counts
    # came from and names the test.
    from metareview.report import audit_rows

    spec = analysis()
    b = bundle(counts(16, 34, 2, 16))
    docs = [effects_of(b, spec)]
    res = pool_analysis(spec, docs, methods=METHODS, labels=LABELS)
    rows = [{k: v for k, v in r.items() if k != "_ref"} for r in b["arm_outcomes"]]
    ctx = dataclasses.replace(
        _ctx_for([res], docs, [], [spec]),
        raw_rows={r["_ref"]: ("arm_outcomes.csv", 10 + i) for i, r in enumerate(b["arm_outcomes"])},
        raw_tables={"arm_outcomes": rows}, raw_row_numbers={"arm_outcomes": [10, 11]})
    audit = audit_rows(ctx)
    [effect] = [r for r in audit if r[1] == "study effect"]
    [row] = [r for r in audit if r[1] == "Fisher's exact p"]
    assert audit.index(row) == audit.index(effect) + 1  # beside the effect it qualifies
    # By hand: the events in the first arm, X, given the margins (34 and 16 participants,
    # 18 and 32 with and without the event) are hypergeometric, P(X = x) = C(18, x)
    # C(32, 34 - x) / C(50, 34); the two-sided p sums P(X = x) over every x no more likely
    # than the observed 16 (R: fisher.test(matrix(c(16, 2, 18, 14), 2))$p.value = 0.02634).
    prob = {x: math.comb(18, x) * math.comb(32, 34 - x) / math.comb(50, 34) for x in range(2, 19)}
    p = sum(q for q in prob.values() if q <= prob[16] * (1 + 1e-7))
    assert p == pytest.approx(0.0263394, abs=1e-7)
    analysis_id, _, study, value, variance, where, cells, source, steps = row
    assert (analysis_id, study, variance) == (spec["id"], "S", None)
    assert value == pytest.approx(p, rel=1e-9)
    assert where == "arm_outcomes.csv row 10; arm_outcomes.csv row 11"
    assert "arm_outcomes.csv row 10: timepoint_weeks = 26, value_type = events, events = 16, n = 34" in cells
    # Not "(R: fisher.test)", which read as if R ran: the library computes it as R does.
    assert source == ("Fisher's exact test, two-sided (computed by metareview.distributions.fisher_exact_p as R's "
                      "fisher.test computes it; R is not run)")
    assert "from arm_outcomes.csv row 10 (events, n); arm_outcomes.csv row 11 (events, n)" in steps
    assert "[[16, 18], [2, 14]], smallest cell 2" in steps and steps.endswith("printed p = 0.026")
    # A table with no cell below 5 prints no exact test, and has no such row.
    docs = [effects_of(bundle(counts(16, 34, 5, 16)), spec)]
    res = pool_analysis(spec, docs, methods=METHODS, labels=LABELS)
    assert not [r for r in audit_rows(_ctx_for([res], docs, [], [spec])) if r[1] == "Fisher's exact p"]


def test_results_say_which_side_of_the_reviews_own_measures_favours(ratio_report) -> None:
    # The results' opening sentence says which side favours the intervention for the
    # measures the analyses use, and only those: this review pools risk ratios alone, so
    # neither mean differences, SMDs, odds ratios nor risk differences are named there.
    text, _, _ = ratio_report
    intro = " ".join(text.split("## Results", 1)[1].split("\n\n", 2)[1].split())
    # Its analyses count beneficial events only: no word of harmful ones.
    assert intro.endswith("states which side favours the intervention: for a beneficial event such as response, "
                          "risk ratios above 1.")
    for other in ("SMD", "mean difference", "odds ratio", "risk difference", "harmful"):
        assert other not in intro, other


def test_results_say_which_side_a_risk_difference_favours() -> None:
    # A review of risk differences is told their side (above 0 for a beneficial event),
    # and a review of every measure all of them, as one sentence.
    from metareview.report import favours_text

    assert favours_text(["RD", "RD"]) == ("for a beneficial event such as response, risk differences above 0, and for "
                                          "a harmful event, below 0")
    assert favours_text(["RD", "SMD", "OR", "MD", "RR"]) == (
        "for mean differences and SMDs, negative values (lower on the outcome's common scale, where lower is better); "
        "for a beneficial event such as response, risk ratios and odds ratios above 1 and risk differences above 0, "
        "and for a harmful event, below them")
    # Only the kinds of event the analyses count: a review of responders alone is not told
    # which side a harmful event favours, nor one of adverse events which side response does.
    assert favours_text(["SMD", "RR"], {"beneficial"}) == (
        "for SMDs, negative values (lower on the outcome's common scale, where lower is better); "
        "for a beneficial event such as response, risk ratios above 1")
    assert favours_text(["RR", "RD"], {"harmful"}) == "for a harmful event, risk ratios below 1 and risk differences below 0"


def test_methods_describe_only_the_effect_sizes_the_review_uses(ratio_report) -> None:
    text = ratio_report[0]
    methods = text.split("## Methods")[1].split("\n## ")[0]
    # A review of risk ratios alone: nothing of Hedges' g, mean differences, rescaled
    # instruments or change scores, which read as part of its analyses.
    for said in ("Hedges", "Cohen's d", "Mean differences on the common scales", "negative values favour",
                 "rescaled linearly", "change scores", "square of its scale's range", "SDs from an SE"):
        assert said not in methods, said
    assert "- **Binary outcomes** (RR): from arm-level events" in methods
    # Arm sizes from a total N bear on event counts as well.
    assert "- **Reporting forms**: arm sizes are split equally from a total N where only the total is reported, and " \
           "flagged." in methods


def test_methods_say_a_trial_without_events_in_either_arm_is_kept(ratio_report) -> None:
    # metafor's escalc(measure = "RR", ai = 0, n1i = 40, ci = 0, n2i = 40) keeps the
    # table (drop00 = FALSE): yi = log((0.5/41)/(0.5/41)) = 0, vi = 2/0.5 - 2/41 = 3.9512,
    # and rma pools it. The methods said only that ½ is added to a table with a zero
    # cell, leaving a reader to guess whether such a trial was dropped, as the Cochrane
    # Handbook would have it.
    text, _, _ = ratio_report
    methods = " ".join(text.split("**Binary outcomes**", 1)[1].split("\n- **", 1)[0].split())
    assert "no events in either arm" in methods and "drop00 = FALSE" in methods
    # escalc("RD", ai = 0, n1i = 40, ci = 0, n2i = 40): yi = 0, vi = 0.0006, as precise as a
    # trial of its size: "little weight" is said of a ratio only.
    # Near 1, not 1: escalc("RR", ai = 0, n1i = 34, ci = 0, n2i = 16) gives exp(yi) = 17/35 =
    # 0.486, a ratio of 1 only with arms of equal size.
    assert "a ratio near 1 (exactly 1 only with arms of equal size) with a wide interval and little weight" in methods
    # A review of risk ratios alone computes no risk difference: the methods do not speak of one.
    assert "risk difference" not in methods
    from metareview.report.sections import _binary_effects_text

    with_rd = " ".join(_binary_effects_text(["RD", "RR"]).split())
    assert ("would leave it out of a pooled ratio), or a risk difference of 0, on which it bears as any trial does"
            in with_rd)


@pytest.mark.parametrize("measure", ["RR", "OR", "RD"])
def test_a_table_with_events_in_every_participant_says_what_its_risk_ratio_weighs(measure: str) -> None:
    # 12/12 vs 15/15: ½ added to every cell, kept as metafor keeps it (drop00 = FALSE).
    # For a risk ratio it is no mirror of a table without events: the variance of its
    # log, 1/12.5 - 1/13 + 1/15.5 - 1/16, nears 0, and the trial took 46% of the weight of
    # a pooled RR of eight trials whose methods called it "a ratio of 1 with a wide
    # interval and little weight"; for an odds ratio, 1/12.5 + 1/0.5 + 1/15.5 + 1/0.5 is wide.
    every = option(bundle(counts(12, 12, 15, 15)), analysis(measure))
    ref = escalc(measure, ai=[12], n1i=[12], ci=[15], n2i=[15])
    assert (every["yi"], every["vi"]) == (pytest.approx(float(ref.yi[0]), rel=1e-14),
                                          pytest.approx(float(ref.vi[0]), rel=1e-14))
    none = option(bundle(counts(0, 12, 0, 15)), analysis(measure))
    flag = [f for f in every["flags"] if f.startswith("events in every participant of both arms")]
    if measure == "RR":
        assert every["vi"] < none["vi"] / 100
        assert flag == [("events in every participant of both arms: a risk ratio near 1 with a narrow interval and "
                         "much weight, as the variance of its log (1/a - 1/n1 + 1/c - 1/n2) nears 0")]
    else:
        assert flag == ["events in every participant of both arms"]
    # Only a table of events alone: one arm's every participant is not both arms'.
    assert not any(f.startswith("events in every") for f in option(bundle(counts(12, 12, 14, 15)),
                                                                   analysis(measure))["flags"])


def test_methods_say_what_a_risk_ratio_of_events_in_every_participant_weighs() -> None:
    from metareview.report.sections import _binary_effects_text

    said = ("but a risk ratio of a trial with events in every participant of both arms lies near 1 with a narrow "
            "interval and much weight")
    assert said in " ".join(_binary_effects_text(["RR"]).split())
    assert said in " ".join(_binary_effects_text(["OR", "RD", "RR"]).split())
    # Of odds ratios and risk differences alone it is not said: no risk ratio is computed.
    assert "events in every participant of both arms" not in _binary_effects_text(["OR", "RD"])


def test_an_overview_names_the_measure_of_a_comparison_analysed_on_two() -> None:
    # One comparison as RR and as OR: without the measure, "against sham (responders:
    # pooled, k = 3)" twice, perhaps on two sides, read as a contradiction.
    from metareview.report.overview import _treatment_overview

    data = [(60, 100, 30, 100), (55, 100, 30, 100), (70, 120, 35, 120)]
    specs = [analysis("RR"), analysis("OR")]
    results, all_docs = [], []
    for spec in specs:
        docs = [effects_of(bundle(counts(*e), sid=f"S{i}"), spec) for i, e in enumerate(data)]
        results.append(pool_analysis(spec, docs, methods=METHODS, labels=LABELS))
        all_docs += docs
    text = _treatment_overview(_ctx_for(results, all_docs, [], specs), "acupuncture")
    # Each result names its measure once, beside its estimate: "responders, RR, RR 1.95"
    # named it twice.
    for measure in ("RR", "OR"):
        assert re.search(rf"Responders: {measure} \d+\.\d\d \(95% CI [^;]+; pooled, k = 3\)", text), text
        assert f"{measure}, {measure}" not in text
    # One measure per comparison: named by its estimate alone, as any result is.
    alone = _treatment_overview(_ctx_for(results[:1], all_docs[:3], [], specs[:1]), "acupuncture")
    assert re.search(r"Responders: RR \d+\.\d\d \(95% CI [^;]+; pooled, k = 3\)", alone), alone


def test_a_ratio_at_an_observed_comparator_risk_of_zero_gives_no_difference_per_1000() -> None:
    # 7/20 against 0/20: RR x 0 is 0 whatever the ratio, so "0 more per 1,000 (0 more to 0
    # more)" would deny the 350 per 1,000 the trial saw. The report says none can be
    # derived, and why, and the audit gives no row for a number it does not print.
    spec = analysis()
    res = pool_analysis(spec, [effects_of(bundle(counts(7, 20, 0, 20), sid="S0", label="Trial Z"), spec)],
                        methods=METHODS, labels=LABELS)
    assert res["status"] == "single_study"
    text, audit, _ = build_report(TEMPLATE, _ctx_for([res], [], [], [spec]))
    flat = " ".join(text.split())
    assert "0 more per 1,000" not in flat
    assert ("In absolute terms: none can be derived: no participant in the comparator arm had the event (0 of 20), "
            "and a ratio applied to a risk of 0 gives no difference whatever its size") in flat
    assert not [r for r in audit if r[1] == "difference per 1,000"]
    # An assumed risk in the config gives the ratio one to apply to.
    spec = {**spec, "comparator_risk": {"value": 0.1, "source": "a cohort"}}
    res = pool_analysis(spec, [effects_of(bundle(counts(7, 20, 0, 20), sid="S0", label="Trial Z"), spec)],
                        methods=METHODS, labels=LABELS)
    text, audit, _ = build_report(TEMPLATE, _ctx_for([res], [], [], [spec]))
    assert "none can be derived" not in text
    assert [r for r in audit if r[1] == "difference per 1,000"]


def test_a_capped_difference_per_1000_gives_the_uncapped_risk_in_its_audit_row() -> None:
    # Carlsson 2001's upper bound reads "875 more per 1,000", the cap's number: the formula
    # gives 1,805 per 1,000, which a reader recomputing the row must find there.
    spec = analysis()
    res = pool_analysis(spec, [effects_of(bundle(counts(12, 20, 2, 20), sid="S0", label="Trial Z"), spec)],
                        methods=METHODS, labels=LABELS)
    _, audit, _ = build_report(TEMPLATE, _ctx_for([res], [], [], [spec]))
    row = next(r for r in audit if r[1] == "difference per 1,000")
    upper = 1000 * 0.1 * math.exp(res["studies"][0]["ci_ub"])
    assert upper > 1000
    assert f"; capped at 0 to 1,000 (uncapped: {upper:.6g} per 1,000 at the upper bound)" in row[8]


#: Five trials of responders, one with no events in its comparator arm (10/40 vs 0/41).
ZERO_ARM_TABLES = [(18, 60, 12, 60), (10, 40, 0, 41), (20, 55, 14, 54), (45, 150, 38, 148), (9, 30, 3, 30)]


def _zero_arm_result(tables: list[tuple[int, int, int, int]]) -> dict[str, Any]:
    an = analysis("RR", aid="zero_arm")
    docs = [effects_of(bundle(counts(*t), sid=f"Z{i}", label=f"Trial {i} (2020)"), an) for i, t in enumerate(tables)]
    return pool_analysis(an, docs, methods=METHODS, labels=LABELS)


def test_a_zero_event_arm_gets_a_mantel_haenszel_estimate_without_a_continuity_correction() -> None:
    # The random-effects model takes Cruz's 10/40 vs 0/41 only with 1/2 added to each
    # cell (RR 21.5, 1.30 to 355); Mantel-Haenszel pools the counts as they are.
    res = _zero_arm_result(ZERO_ARM_TABLES)
    mh = res["pooled"]["mantel_haenszel"]
    # By hand (Greenland & Robins 1985): psi = sum(a n2 / N) / sum(c n1 / N), and
    # Var(log psi) = sum(n1 n2 (a + c) / N^2 - a c / N) / (R S), R and S the two sums.
    r = sum(a * n2 / (n1 + n2) for a, n1, c, n2 in ZERO_ARM_TABLES)
    s = sum(c * n1 / (n1 + n2) for a, n1, c, n2 in ZERO_ARM_TABLES)
    var = sum(n1 * n2 * (a + c) / (n1 + n2) ** 2 - a * c / (n1 + n2) for a, n1, c, n2 in ZERO_ARM_TABLES) / (r * s)
    z = NormalDist().inv_cdf(0.975)
    assert mh["estimate"] == pytest.approx(math.log(r / s), rel=1e-12)
    assert mh["se"] == pytest.approx(math.sqrt(var), rel=1e-12)
    assert (mh["ci_lb"], mh["ci_ub"]) == pytest.approx((math.log(r / s) - z * math.sqrt(var),
                                                        math.log(r / s) + z * math.sqrt(var)), rel=1e-12)
    assert mh["estimate_exp"] == pytest.approx(r / s, rel=1e-12)
    assert (mh["method"], mh["measure"], mh["k"], mh["zero_arm"]) == ("MH", "RR", 5, ["Z1"])
    # Its interval lies above 1 where the random-effects one (Hartung-Knapp) includes it.
    assert mh["ci_lb"] > 0 and res["pooled"]["ci_lb"] < 0
    # Without a zero-event arm, none: the random-effects model needs no correction.
    assert "mantel_haenszel" not in _zero_arm_result([t for t in ZERO_ARM_TABLES if t[2]])["pooled"]


def test_the_results_give_the_mantel_haenszel_estimate_where_it_changes_what_the_interval_shows() -> None:
    from metareview.report.audit import MANTEL_HAENSZEL_QUANTITY, _mantel_haenszel_audit_row
    from metareview.report.overview import mantel_haenszel_clause

    res = _zero_arm_result(ZERO_ARM_TABLES)
    mh = res["pooled"]["mantel_haenszel"]
    rr, lb, ub = (math.exp(mh[k]) for k in ("estimate", "ci_lb", "ci_ub"))
    text = str(mantel_haenszel_clause(res))
    assert text.startswith("; as a sensitivity analysis for the zero-event arm of Trial 1 (2020), the "
                           "Mantel-Haenszel method, which pools the 2\u00d72 tables as they are, without a continuity "
                           f"correction, gives RR {rr:.2f} (95% CI {lb:.2f} to {ub:.2f}), whose whole interval "
                           "favours acupuncture: a common-effect model")
    # Traced in the audit trail, with the tables it pools as counted.
    row = _mantel_haenszel_audit_row(res)
    assert row is not None and row[1] == MANTEL_HAENSZEL_QUANTITY and row[3] == mh["estimate"]
    assert "Z1 10/40 vs 0/41" in row[8] and "no continuity correction" in row[8]
    # Where both intervals say the same, nothing is printed nor traced.
    same = copy.deepcopy(res)
    same["pooled"].update(ci_lb=0.01, ci_ub=0.9)
    assert str(mantel_haenszel_clause(same)) == "" and _mantel_haenszel_audit_row(same) is None
