"""Unit tests for metareview.indirect: Bucher's method by hand, and when it does not apply."""

from __future__ import annotations

import math
import subprocess
import sys
from statistics import NormalDist
from typing import Any

import pytest
from metafor_tolerances import assert_close, assert_printed

from metareview import distributions as dist
from metareview.fmt import no_comparator_words
from metareview.indirect import bucher, indirect_comparison
from metareview.normalise import UNNAMED

Z975 = NormalDist().inv_cdf(0.975)
LABELS = {"dn": "Dry needling", "acu": "Acupuncture", "sham": "Sham", "uc": "Usual care", UNNAMED: "Unnamed control"}
SPEC = {"id": "dn_vs_acu", "treatment_a": "dn", "treatment_b": "acu", "outcome": "pain", "window": "short",
        "measure": "SMD"}


def result(intervention: str, comparator: str, *, pooled: tuple[float, float, int] | None = None,
           studies: list[tuple[str, float, float]] = (), status: str | None = None, outcome: str = "pain",
           window: str = "short", measure: str = "SMD") -> dict[str, Any]:
    """An analysis result: ``pooled`` = (estimate, se, k); ``studies`` = (label, yi, vi)."""
    if status is None:
        status = "pooled" if pooled else ("single_study" if len(studies) == 1 else "not_poolable")
    return {
        "analysis": {"id": f"{intervention}_vs_{comparator}", "intervention": intervention, "comparator": comparator,
                     "outcome": outcome, "window": window, "measure": measure},
        "status": status,
        "k": pooled[2] if pooled else len(studies),
        "pooled": None if pooled is None else {"estimate": pooled[0], "se": pooled[1], "k": pooled[2]},
        "studies": [{"study_id": lab.upper(), "label": lab, "yi": y, "vi": v} for lab, y, v in studies]
                   or [{"study_id": f"{intervention}{i}", "label": f"S{i}", "yi": 0.0, "vi": 1.0}
                       for i in range(pooled[2] if pooled else 0)],
    }


def compare(results: list[dict[str, Any]], **spec: Any) -> dict[str, Any]:
    return indirect_comparison({**SPEC, **spec}, results, labels=LABELS)


# --- Bucher ---------------------------------------------------------------------------------------------


def test_bucher_by_hand() -> None:
    # d_AB = -0.5 - (-0.2) = -0.3; Var = 0.04 + 0.05 = 0.09, SE = 0.3; z = -1;
    # p = 2 (1 - Phi(1)) = 0.3173105078629141
    res = bucher(-0.5, 0.04, -0.2, 0.05)
    assert res["estimate"] == pytest.approx(-0.3, rel=1e-14)
    assert res["se"] == pytest.approx(0.3, rel=1e-14)
    assert res["zval"] == pytest.approx(-1.0, rel=1e-14)
    assert res["pval"] == pytest.approx(0.3173105078629141, rel=1e-12)
    assert res["ci_lb"] == pytest.approx(-0.3 - Z975 * 0.3, rel=1e-14)
    assert res["ci_ub"] == pytest.approx(-0.3 + Z975 * 0.3, rel=1e-14)


def test_bucher_level_and_symmetry() -> None:
    res90 = bucher(1.0, 0.25, 0.0, 0.0, level=90)
    assert res90["ci_ub"] - 1.0 == pytest.approx(NormalDist().inv_cdf(0.95) * 0.5, rel=1e-14)
    ab, ba = bucher(0.7, 0.1, 0.2, 0.3), bucher(0.2, 0.3, 0.7, 0.1)
    assert ab["estimate"] == -ba["estimate"] and ab["se"] == ba["se"] and ab["pval"] == ba["pval"]


def test_bucher_small_p_values_keep_precision() -> None:
    # z = 10: p = 2 Phi(-10) = 1.5239706...e-23, not 0
    res = bucher(10.0, 0.5, 0.0, 0.5)
    assert res["pval"] == pytest.approx(1.523970604832105e-23, rel=1e-9, abs=0)


def test_bucher_rejects_negative_variance() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        bucher(0.1, -0.01, 0.2, 0.05)
    # either side: a negative v_bc that v_ac outweighs would still give a real SE
    with pytest.raises(ValueError, match="non-negative"):
        bucher(0.1, 0.05, 0.2, -0.01)


def test_bucher_refuses_two_zero_variances() -> None:
    # Without a variance there is no test: an infinite z with p = 0 would read as certain.
    with pytest.raises(ValueError, match="both 0"):
        bucher(0.0, 0.0, 0.0, 0.0)
    # One side without variance is still a comparison (the other side's variance).
    assert bucher(0.3, 0.0, 0.1, 0.04)["se"] == pytest.approx(0.2)


# --- anchored --------------------------------------------------------------------------------------------


def test_anchored_through_named_common_comparator() -> None:
    results = [result("dn", "sham", studies=[("Lee", -0.8, 0.09)]),
               result("acu", "sham", pooled=(-0.45, 0.1, 4))]
    doc = compare(results)
    assert doc["status"] == "anchored"
    (x,) = doc["anchored"]
    assert x["comparator"] == "sham" and x["comparator_label"] == "Sham"
    # dry needling vs acupuncture = -0.8 - (-0.45) = -0.35; var = 0.09 + 0.1^2 = 0.1
    assert x["estimate"] == pytest.approx(-0.35, rel=1e-14)
    assert x["se"] == pytest.approx(math.sqrt(0.1), rel=1e-14)
    assert x["a_vs_c"] == {"estimate": -0.8, "variance": 0.09, "what": "Lee", "study_ids": ["LEE"]}
    # A pooled side is read by its label and traced by the ids of the studies it pools.
    assert x["b_vs_c"]["what"] == "pooled estimate of 4 studies"
    assert x["b_vs_c"]["study_ids"] == ["acu0", "acu1", "acu2", "acu3"]
    assert x["b_vs_c"]["variance"] == pytest.approx(0.01)
    assert doc["unanchored"] == []
    assert "through sham (Bucher method)" in doc["finding"]


def test_a_pooled_side_keeps_the_width_of_its_hartung_knapp_interval() -> None:
    # Acupuncture vs sham pooled from 2 studies: SE 0.1 and a Hartung-Knapp interval on
    # 1 df, -0.45 ± t(1) · 0.1 with t(1; 0.975) = tan(0.475 π) = 12.7062..., far wider
    # than -0.45 ± 1.96 · 0.1. Bucher's interval is normal-based, so the pooled side's
    # SE is read back from its interval: 12.7062 · 0.1 / 1.95996 = 0.648290.
    t1 = math.tan(0.475 * math.pi)
    pooled = result("acu", "sham", pooled=(-0.45, 0.1, 2))
    pooled["pooled"].update({"ci_lb": -0.45 - t1 * 0.1, "ci_ub": -0.45 + t1 * 0.1, "level": 95.0})
    doc = compare([result("dn", "sham", studies=[("Lee", -0.8, 0.09)]), pooled])
    (x,) = doc["anchored"]
    se_acu = t1 * 0.1 / Z975
    assert x["b_vs_c"]["variance"] == pytest.approx(se_acu ** 2, rel=1e-12)
    assert x["b_vs_c"]["variance_from"] == "interval"
    # -0.35 ± 1.96 · sqrt(0.09 + 0.648290^2): never narrower than the pooled side's own
    # interval (half-width 1.2706), which the bare SE (sqrt(0.09 + 0.01) · 1.96 = 0.62)
    # would have made it.
    half = Z975 * math.sqrt(0.09 + se_acu ** 2)
    assert x["ci_lb"] == pytest.approx(-0.35 - half, rel=1e-12)
    assert x["ci_ub"] == pytest.approx(-0.35 + half, rel=1e-12)
    assert x["ci_ub"] - x["estimate"] > t1 * 0.1


@pytest.mark.parametrize("flipped", [False, True])
def test_a_side_pooled_on_t1_gives_an_estimate_from_its_equal_effects_fit_beside(flipped: bool) -> None:
    # The pooled side's interval on t(1) makes Bucher's too wide to inform; its analysis's
    # equal-effects estimate (-0.40, SE 0.08) in its place gives the sensitivity estimate:
    # -0.8 - (-0.40) = -0.40, variance 0.09 + 0.0064. Analysed as sham vs acupuncture, the
    # side and its equal-effects estimate turn round together.
    t1 = math.tan(0.475 * math.pi)
    sign = -1.0 if flipped else 1.0
    pooled = result("sham", "acu", pooled=(0.45, 0.1, 2)) if flipped else result("acu", "sham", pooled=(-0.45, 0.1, 2))
    pooled["pooled"].update({"ci_lb": sign * -0.45 - t1 * 0.1, "ci_ub": sign * -0.45 + t1 * 0.1, "level": 95.0,
                             "equal_effects": {"estimate": sign * -0.40, "se": 0.08}})
    (x,) = compare([result("dn", "sham", studies=[("Lee", -0.8, 0.09)]), pooled])["anchored"]
    ee = x["equal_effects"]
    assert ee["sides"] == ["b_vs_c"] and ee["b_vs_c"] == {"estimate": pytest.approx(-0.40), "variance": pytest.approx(0.0064)}
    assert ee["estimate"] == pytest.approx(-0.40, rel=1e-12)
    assert ee["se"] == pytest.approx(math.sqrt(0.0964), rel=1e-12)
    assert ee["ci_lb"] == pytest.approx(-0.40 - Z975 * math.sqrt(0.0964), rel=1e-12)
    # The result itself is Bucher's on the sides' own intervals, as before.
    assert x["estimate"] == pytest.approx(-0.35, rel=1e-12) and x["ci_ub"] - x["estimate"] > t1 * 0.1
    # Turned round by the side's arms, not by comparing numbers: a pooled estimate of
    # exactly 0 (-0.0 == 0.0) left the equal-effects estimate unturned.
    pooled["pooled"]["estimate"] = 0.0
    (x,) = compare([result("dn", "sham", studies=[("Lee", -0.8, 0.09)]), pooled])["anchored"]
    assert x["equal_effects"]["b_vs_c"]["estimate"] == pytest.approx(-0.40)
    # No equal-effects fit (a z-based analysis, or k above 2): nothing beside it.
    del pooled["pooled"]["equal_effects"]
    (x,) = compare([result("dn", "sham", studies=[("Lee", -0.8, 0.09)]), pooled])["anchored"]
    assert "equal_effects" not in x


def test_a_pooled_side_without_an_interval_enters_with_its_se_and_says_so() -> None:
    # No bounds to read an SE from: the model SE, 0.1, enters (variance 0.01), and the
    # side does not claim that its variance came from an interval.
    doc = compare([result("dn", "sham", studies=[("Lee", -0.8, 0.09)]), result("acu", "sham", pooled=(-0.45, 0.1, 2))])
    (x,) = doc["anchored"]
    assert x["b_vs_c"]["variance"] == pytest.approx(0.01, rel=1e-12)
    assert "variance_from" not in x["b_vs_c"]
    # -0.35 ± 1.96 · sqrt(0.09 + 0.01) = -0.35 ± 0.6198
    assert x["ci_ub"] == pytest.approx(-0.35 + Z975 * math.sqrt(0.1), rel=1e-12)


def test_anchored_with_treatment_on_the_comparator_side() -> None:
    # "sham vs acupuncture" = +0.45 means acupuncture vs sham = -0.45
    results = [result("dn", "sham", studies=[("Lee", -0.8, 0.09)]),
               result("sham", "acu", studies=[("Haake", 0.45, 0.01)])]
    (x,) = compare(results)["anchored"]
    assert x["b_vs_c"]["estimate"] == -0.45
    assert x["estimate"] == pytest.approx(-0.35, rel=1e-14)


def test_one_comparison_per_common_comparator() -> None:
    results = [result("dn", "sham", studies=[("A", -0.8, 0.09)]), result("acu", "sham", studies=[("B", -0.4, 0.04)]),
               result("dn", "uc", studies=[("C", -1.0, 0.1)]), result("acu", "uc", studies=[("D", -0.7, 0.05)])]
    doc = compare(results)
    assert [(x["comparator"], round(x["estimate"], 12)) for x in doc["anchored"]] == [("sham", -0.4), ("uc", -0.3)]
    assert "Indirect comparison through sham and usual care (Bucher method)." in doc["detail"]
    # A label holding a comma: the two comparators separated by a semicolon.
    commas = indirect_comparison(SPEC, results, labels={**LABELS, "sham": "Sham, minimal needling or placebo TENS"})
    assert commas["detail"].startswith(
        "Indirect comparison through sham, minimal needling or placebo TENS; and usual care (Bucher method).")


def test_several_unpooled_estimates_on_a_side_anchor_no_comparison() -> None:
    # Acupuncture vs sham: two studies that the analysis did not pool (a pooling threshold
    # of 3, say). Taking the first would drop the second unseen: no comparison through sham.
    results = [result("dn", "sham", studies=[("Lee", -0.8, 0.09)]),
               result("acu", "sham", studies=[("B1", -0.4, 0.04), ("B2", -0.1, 0.05)])]
    doc = compare(results)
    assert doc["status"] == "no_single_estimate" and doc["anchored"] == []
    assert doc["unresolved"] == [{"comparator": "sham", "comparator_label": "Sham", "estimates_a": 1,
                                  "estimates_b": 2}]
    assert ("Both are compared with sham, but acupuncture has 2 estimates against it that no analysis pooled into "
            "one") in doc["detail"]
    assert "share no named comparator" not in doc["detail"]
    assert doc["finding"].startswith("Indirect comparison of dry needling and acupuncture (pain): a common comparator, "
                                     "but no single estimate on each side.")
    # Another common comparator with one estimate a side still anchors; the detail names
    # the one that does not.
    results += [result("dn", "uc", studies=[("C", -1.0, 0.1)]), result("acu", "uc", studies=[("D", -0.7, 0.05)])]
    doc = compare(results)
    assert doc["status"] == "anchored" and [x["comparator"] for x in doc["anchored"]] == ["uc"]
    assert doc["anchored"][0]["estimate"] == pytest.approx(-0.3, rel=1e-12)
    assert "Both are compared with sham, but acupuncture has 2 estimates" in doc["detail"]


# --- no common comparator --------------------------------------------------------------------------------


def test_unnamed_controls_are_not_a_common_comparator() -> None:
    results = [result("dn", UNNAMED, studies=[("Liu & Park", -0.66, 0.045)]),
               result("acu", UNNAMED, studies=[("Chen", -0.91, 0.036)])]
    doc = compare(results, show_unanchored=False)
    assert doc["status"] == "no_common_comparator"
    assert doc["anchored"] == [] and doc["unanchored"] == []
    # The same comparator on both sides, said once, not as two clauses alike.
    assert "dry needling and acupuncture are each compared with unnamed control." in doc["finding"]
    assert "acupuncture is compared with" not in doc["finding"]
    assert "no anchored indirect comparison" in doc["finding"]
    assert "comparators the sources do not name cannot be assumed" in doc["finding"]
    assert doc["finding"].startswith("Indirect comparison of dry needling and acupuncture (pain): no common comparator.")
    # The detail (the report's callout, under a heading naming both) is the rest of it.
    assert doc["finding"].endswith(" " + doc["detail"])
    # It says which analyses it speaks of: those on the comparison's measure, outcome and window.
    assert doc["detail"].startswith("In the SMD analyses of pain, short, dry needling and acupuncture are each "
                                    "compared with")


def test_unanchored_difference_only_when_asked() -> None:
    results = [result("dn", UNNAMED, studies=[("Liu & Park", -0.66, 0.045)]),
               result("acu", UNNAMED, studies=[("Chen", -0.91, 0.036)])]
    assert compare(results)["unanchored"] == []  # default: not shown
    doc = compare(results, show_unanchored=True)
    assert doc["status"] == "no_common_comparator"
    (u,) = doc["unanchored"]
    assert (u["a_source"], u["b_source"]) == ("Liu & Park", "Chen")
    assert (u["a_study_ids"], u["b_study_ids"]) == (["LIU & PARK"], ["CHEN"])
    assert u["estimate"] == pytest.approx(0.25, rel=1e-12)
    assert u["se"] == pytest.approx(math.sqrt(0.081), rel=1e-12)


def test_an_outcome_s_own_brackets_read_as_commas_inside_the_finding_s() -> None:
    # "Indirect comparison of dry needling and acupuncture (pain (0 to 10))" nested one
    # bracket in another; inside the finding's, the label's own are commas (in_brackets).
    results = [result("dn", "sham", studies=[("Lee", -0.4, 0.1)]), result("acu", "uc", studies=[("Chen", -0.9, 0.04)])]
    doc = indirect_comparison(SPEC, results, labels={**LABELS, "pain": "Pain (0 to 10)"})
    assert doc["status"] == "no_common_comparator"
    assert doc["finding"].startswith("Indirect comparison of dry needling and acupuncture (pain, 0 to 10): no common "
                                     "comparator.")


def test_different_named_comparators_are_not_anchored() -> None:
    results = [result("dn", "sham", studies=[("A", -0.8, 0.09)]), result("acu", "uc", studies=[("B", -0.4, 0.04)])]
    doc = compare(results, show_unanchored=True)
    assert doc["status"] == "no_common_comparator"
    (u,) = doc["unanchored"]
    assert (u["a_comparator"], u["b_comparator"]) == ("Sham", "Usual care")
    # Both comparators are named: the reason is that they differ, not that one is unnamed.
    assert "The two share no named comparator, so no anchored" in doc["finding"]
    assert "do not name" not in doc["finding"]


def test_nothing_in_the_data() -> None:
    # Both analysed against sham (every configured analysis has a result, with or
    # without studies), but neither analysis has a usable trial.
    doc = compare([result("dn", "sham", status="no_studies"), result("acu", "sham", status="no_studies")])
    assert doc["status"] == "no_common_comparator"
    # Not "compared with nothing in the data": the data may hold trials of it against a
    # third treatment that were set aside (Rajfur 2022 and 2024, dry needling against sham).
    assert "dry needling and acupuncture are each compared with no third treatment in a usable trial" in doc["finding"]
    assert "nothing in the data" not in doc["finding"]
    # Said once, by the sides; the reason refers back to it.
    assert "Without such trials, there is nothing to anchor an indirect comparison" in doc["finding"]
    assert "no usable trial against a third treatment" not in doc["finding"]
    assert "do not name" not in doc["finding"]


def test_one_side_without_trials_is_the_reason_given() -> None:
    # Acupuncture has an unnamed control, but what rules the comparison out is that dry
    # needling has no trial at all: the finding says that, not the unnamed control.
    doc = compare([result("acu", UNNAMED, studies=[("Chen", -0.91, 0.036)]),
                   result("dn", "sham", status="no_studies")])
    assert ("dry needling is compared with no third treatment in a usable trial" in doc["finding"]
            and "Without such a trial, there is nothing to anchor" in doc["finding"])
    assert (doc["comparators_a"], doc["comparators_b"]) == ([], [UNNAMED])
    assert "acupuncture is compared with unnamed control" in doc["finding"]
    assert "do not name" not in doc["finding"]


def test_trials_on_another_measure_are_described_not_combined() -> None:
    # Acupuncture has a sham-controlled trial analysed as MD: it does not enter an SMD
    # comparison, but the finding must not say acupuncture has only an unnamed control.
    results = [result("dn", UNNAMED, studies=[("Liu & Park", -0.66, 0.045)]),
               result("acu", UNNAMED, studies=[("Chen", -0.91, 0.036)]),
               result("acu", "sham", studies=[("Brinkhaus", -0.5, 0.1)], measure="MD"),
               result("dn", "sham", measure="MD", status="no_data")]
    doc = compare(results)
    assert doc["status"] == "no_common_comparator"
    assert (doc["comparators_a"], doc["comparators_b"]) == ([UNNAMED], [UNNAMED])
    assert doc["other_measures"] == [{"measure": "MD", "comparators_a": [], "comparators_b": ["sham"], "common": [], "head_to_head": False}]
    assert doc["detail"].endswith(" In the MD analyses, which are not combined with SMD ones, dry needling is "
                                  "compared with no third treatment in a usable trial; acupuncture is compared with sham.")


def test_a_comparator_shared_on_another_measure_is_pointed_out() -> None:
    results = [result("dn", "sham", studies=[("A", -0.8, 0.09)], measure="MD"),
               result("acu", "sham", studies=[("B", -0.4, 0.04)], measure="MD"),
               result("acu", "uc", studies=[("C", -0.3, 0.05)]), result("dn", "uc", status="no_studies")]
    doc = compare(results)
    assert doc["status"] == "no_common_comparator" and doc["anchored"] == []
    assert doc["other_measures"] == [{"measure": "MD", "comparators_a": ["sham"], "comparators_b": ["sham"],
                                      "common": ["sham"], "head_to_head": False}]
    assert "dry needling is compared with no third treatment in a usable trial; acupuncture is compared with usual care" in doc["detail"]
    assert doc["detail"].endswith(" In the MD analyses both are compared with sham, so an indirect comparison on MD "
                                  "would be anchored; MD effects are not combined with SMD ones.")
    # The status words do not deny what the explanation then says.
    assert doc["finding"].startswith("Indirect comparison of dry needling and acupuncture (pain): no common comparator "
                                     "on SMD (one exists on MD). In the SMD analyses")
    assert no_comparator_words("SMD", doc["other_measures"]) == "no common comparator on SMD (one exists on MD)"
    # Analyses on another measure that share none: the status alone.
    assert no_comparator_words("SMD", [{"measure": "MD", "common": []}]) == "no common comparator"
    # The same data on the comparison's own measure anchor it, and nothing else is said.
    doc = compare(results, measure="MD")
    assert doc["status"] == "anchored" and doc["other_measures"] == [
        {"measure": "SMD", "comparators_a": [], "comparators_b": ["uc"], "common": [], "head_to_head": False}]


# --- what counts -----------------------------------------------------------------------------------------------


def test_direct_comparisons_are_listed_not_used_as_a_side() -> None:
    results = [result("dn", "acu", studies=[("H2H", -0.1, 0.05)]),
               result("dn", "sham", studies=[("A", -0.8, 0.09)]), result("acu", "sham", studies=[("B", -0.4, 0.04)])]
    doc = compare(results)
    assert doc["direct"] == [{"analysis": "dn_vs_acu", "measure": "SMD", "status": "single_study", "k": 1}]
    (x,) = doc["anchored"]
    assert x["comparator"] == "sham"


def test_a_head_to_head_analysis_on_another_measure_is_direct_evidence() -> None:
    # The head-to-head analysis pools MD; the indirect comparison is on SMD. The trials
    # comparing the two directly are still direct evidence, and neither treatment is then
    # "compared with nothing".
    results = [result("dn", "acu", studies=[("H2H", -0.8, 0.24)], measure="MD"),
               result("acu", "sham", studies=[("B", -0.4, 0.04)])]
    doc = compare(results)
    assert doc["direct"] == [{"analysis": "dn_vs_acu", "measure": "MD", "status": "single_study", "k": 1}]
    assert doc["anchored"] == []
    (md,) = doc["other_measures"]
    assert md["head_to_head"] is True
    assert "In the MD analyses, which are not combined with SMD ones, dry needling is compared only with " \
           "acupuncture; acupuncture is compared only with dry needling." in doc["detail"]
    assert "nothing in the data" not in doc["detail"].split("In the MD")[1]


def test_a_side_compared_only_head_to_head_is_not_said_to_meet_no_treatment() -> None:
    # The review's other side has a "No treatment or waiting list" node: "dry needling is
    # compared with no treatment besides acupuncture" read as a trial of dry needling
    # against no treatment, two words before that node is named for acupuncture.
    from metareview.indirect import _sides

    labels = {"wl": "No treatment or waiting list", "sham": "Sham, minimal needling or placebo TENS"}
    said = _sides("Dry needling", [], "Acupuncture", ["wl", "sham"], labels, head_to_head=True)
    assert said == ("dry needling is compared only with acupuncture. Acupuncture is compared with no treatment or "
                    "waiting list and with sham, minimal needling or placebo TENS")
    assert "dry needling is compared with no treatment" not in said


def test_other_outcomes_windows_and_measures_are_ignored() -> None:
    results = [result("dn", "sham", studies=[("A", -0.8, 0.09)]),
               result("acu", "sham", studies=[("B", -0.4, 0.04)], outcome="disability"),
               result("acu", "sham", studies=[("C", -0.4, 0.04)], window="long"),
               result("acu", "sham", studies=[("D", -0.4, 0.04)], measure="MD"),
               result("dn", "sham", status="no_studies", outcome="disability")]
    assert compare(results)["status"] == "no_common_comparator"
    doc = compare(results, outcome="disability")
    assert doc["status"] == "no_common_comparator"
    assert "dry needling is compared with no third treatment in a usable trial" in doc["finding"]


def test_comparators_are_listed_as_prose_with_each_where_a_label_holds_a_comma() -> None:
    from metareview.indirect import _sides

    labels = {"sham": "Sham, minimal needling or placebo TENS", "wl": "No treatment or waiting list",
              "uc": "Usual care", "tens": "TENS alone"}
    # "with no treatment or waiting list and usual care" could be one group of three
    # alternatives: "with" again before the second label says it is another.
    assert _sides("Dry needling", ["uc"], "Acupuncture", ["wl", "uc"], labels) == (
        "dry needling is compared with usual care; acupuncture is compared with no treatment or waiting list and "
        "with usual care")
    # "X; Sham, minimal needling or placebo TENS" read as a list of more groups than two.
    assert _sides("Dry needling", [], "Acupuncture", ["wl", "sham"], labels) == (
        "dry needling is compared with no third treatment in a usable trial. Acupuncture is compared with no treatment or waiting "
        "list and with sham, minimal needling or placebo TENS")
    # An acronym keeps its capitals mid-sentence.
    assert _sides("Dry needling", ["tens", "uc", "wl"], "Acupuncture", [], labels) == (
        "dry needling is compared with no treatment or waiting list, with TENS alone and with usual care; "
        "acupuncture is compared with no third treatment in a usable trial")
    # The control a source does not name, as the plan labels it, takes an article: "compared
    # with control not named by the source" read as a name that lacked one.
    from metareview.plan import labels_of
    unnamed = labels_of({"nodes": {}, "outcomes": {}, "windows": {}})
    assert _sides("Dry needling", ["unnamed_control"], "Acupuncture", ["unnamed_control"], unnamed) == (
        "dry needling and acupuncture are each compared with an unnamed control")



def pooled_of(intervention: str, comparator: str, studies: list[tuple[str, float, float]],
              estimate: float, se: float) -> dict[str, Any]:
    """A pooled analysis result whose studies carry ids, as the analyses' JSON gives them."""
    r = result(intervention, comparator, pooled=(estimate, se, len(studies)), measure="MD")
    r["studies"] = [{"study_id": sid, "label": f"{sid} et al.", "yi": y, "vi": v} for sid, y, v in studies]
    return r


def with_model(r: dict[str, Any], method: str, test: str, level: float = 95.0) -> dict[str, Any]:
    """``r`` with the model its pooled estimate records, as pool_analysis writes it."""
    r["pooled"].update({"method": method, "test": test, "level": level, "tau2_max": None})
    return r


def test_a_trial_of_all_three_is_left_out_of_both_sides_and_the_others_compared() -> None:
    # Silva compares dn, acu and sham in one trial: its one sham arm is in both pooled
    # sides. Bucher's sum of variances would count that arm twice (and the trial's dn-vs-acu
    # comparison again, as indirect evidence), so it is left out of both sides, and each
    # side is the one trial it has left: Okafor (-1.2, 0.17) and Brinkhaus (-0.5, 0.2).
    results = [pooled_of("dn", "sham", [("Okafor", -1.2, 0.17), ("Silva", -1.3, 0.18)], -1.25, 0.29),
               pooled_of("acu", "sham", [("Brinkhaus", -0.5, 0.2), ("Silva", -0.8, 0.18)], -0.66, 0.3)]
    doc = compare(results, measure="MD")
    assert doc["status"] == "anchored" and doc["shared"] == [] and doc["left_out"] == ""
    (x,) = doc["anchored"]
    # -1.2 - (-0.5) = -0.7, variance 0.17 + 0.2 = 0.37
    assert x["estimate"] == pytest.approx(-0.7, rel=1e-12)
    assert x["se"] == pytest.approx(math.sqrt(0.37), rel=1e-12)
    assert x["shared"] == ["Silva et al."] and x["shared_study_ids"] == ["Silva"]
    assert x["a_vs_c"] == {"estimate": -1.2, "variance": 0.17, "what": "Okafor et al., the one trial besides Silva "
                           "et al.", "study_ids": ["Okafor"], "left_out": ["Silva et al."], "left_out_ids": ["Silva"]}
    assert x["b_vs_c"]["study_ids"] == ["Brinkhaus"] and x["b_vs_c"]["left_out_ids"] == ["Silva"]
    # Which trial was left out of which side, and why, in the finding.
    assert ("through sham (Bucher method). Through sham, Silva et al. compares dry needling, acupuncture and sham in "
            "one trial and is in the estimates of both sides. Its sham arm would enter both") in doc["finding"]
    assert "would count twice" in doc["finding"] and "direct evidence already" in doc["finding"]
    assert ("It is therefore left out of both sides and counts as direct evidence only: Dry needling vs Sham is "
            "Okafor et al., the one trial left, and Acupuncture vs Sham is Brinkhaus et al., the one trial left."
            ) in doc["finding"]
    assert x["note"] in doc["detail"]


def test_a_side_left_with_several_trials_is_refitted_with_the_analysis_model() -> None:
    # Dry needling vs sham pooled Okafor, Silva and Tan (REML, Hartung-Knapp); without
    # Silva, Okafor (-1.6, 0.05) and Tan (-0.4, 0.08) are refitted with the same model.
    # REML with k = 2 has the closed form tau^2 = ((y1 - y2)^2 - v1 - v2) / 2
    # = (1.44 - 0.13) / 2 = 0.655; w = 1/0.705, 1/0.735; mu = (-1.6 * 0.735 - 0.4 * 0.705)
    # / 1.44 = -1.0125. Hartung-Knapp: s2w = sum w (y - mu)^2 / (k - 1) = 1 here, so
    # se^2 = 1 / sum w = 0.705 * 0.735 / 1.44, and the interval is mu ± t(1) se.
    # metafor 3.8-1, rma(c(-1.6, -0.4), c(0.05, 0.08), method = "REML", test = "knha"):
    # estimate -1.0125, se 0.599869777535091, ci -8.63456820840444 to 6.60956820840445.
    dn = with_model(pooled_of("dn", "sham", [("Okafor", -1.6, 0.05), ("Silva", -1.3, 0.18), ("Tan", -0.4, 0.08)],
                              -1.1, 0.4), "REML", "knha")
    acu = with_model(pooled_of("acu", "sham", [("Brinkhaus", -0.5, 0.2), ("Silva", -0.8, 0.18)], -0.66, 0.3),
                     "REML", "knha")
    doc = compare([dn, acu], measure="MD")
    assert doc["status"] == "anchored"
    (x,) = doc["anchored"]
    t1 = math.tan(0.475 * math.pi)
    se = math.sqrt(0.705 * 0.735 / 1.44)
    refit = x["a_vs_c"]["refit"]
    assert (refit["method"], refit["test"], refit["level"], refit["k"]) == ("REML", "knha", 95.0, 2)
    assert refit["tau2"] == pytest.approx(0.655, rel=1e-9)
    assert refit["estimate"] == pytest.approx(-1.0125, rel=1e-9)
    assert refit["se"] == pytest.approx(se, rel=1e-9)
    assert_close(se, 0.599869777535091, "elementary", "se by hand")
    # metafor's iteration reaches the closed-form root here (its estimate is -1.0125)
    assert_close(refit["ci_lb"], -8.63456820840444, "closed", "ci_lb")
    assert_close(refit["ci_ub"], 6.60956820840445, "closed", "ci_ub")
    # The refitted side enters with the SE its Hartung-Knapp interval implies, as the
    # analysis's own estimate would.
    v_dn = (t1 * se / Z975) ** 2
    assert x["a_vs_c"]["variance"] == pytest.approx(v_dn, rel=1e-9)
    assert x["a_vs_c"]["variance_from"] == "interval"
    assert x["a_vs_c"]["study_ids"] == ["Okafor", "Tan"] and x["a_vs_c"]["left_out_ids"] == ["Silva"]
    assert x["a_vs_c"]["what"] == "pooled estimate of 2 studies besides Silva et al."
    # Bucher: -1.0125 - (-0.5) = -0.5125, variance v_dn + 0.2.
    assert x["estimate"] == pytest.approx(-0.5125, rel=1e-9)
    assert x["se"] == pytest.approx(math.sqrt(v_dn + 0.2), rel=1e-9)
    assert x["ci_lb"] == pytest.approx(-0.5125 - Z975 * math.sqrt(v_dn + 0.2), rel=1e-9)
    assert ("Dry needling vs Sham is the pooled estimate of the other 2 studies, refitted with the analysis’s model "
            "(REML, knha test, 95% level)") in x["note"]
    # Two studies left on t(1): the comparison from their equal-effects estimate beside it,
    # as for an analysis's own two-study side. Inverse-variance: (-1.6/0.05 - 0.4/0.08) /
    # (1/0.05 + 1/0.08) = -37/32.5, variance 1/32.5.
    ee = x["equal_effects"]
    assert ee["sides"] == ["a_vs_c"]
    assert ee["a_vs_c"]["estimate"] == pytest.approx(-37 / 32.5, rel=1e-12)
    assert ee["a_vs_c"]["variance"] == pytest.approx(1 / 32.5, rel=1e-12)
    assert ee["estimate"] == pytest.approx(-37 / 32.5 + 0.5, rel=1e-12)


@pytest.mark.parametrize("tau2_max", [None, 10000.0])
def test_a_refit_searches_the_tau2_interval_as_far_as_the_analysis_does(tau2_max: float | None) -> None:
    # The refit of Okafor (-1.6, 0.05) and Tan (-0.4, 0.08) as above, the analysis fitted
    # with control = list(tau2.max = 10000) (a mean difference on a 0-100 scale). For k = 2,
    # Q(tau^2) = (y1 - y2)^2 / (v1 + v2 + 2 tau^2) = 1.44 / (0.13 + 2 tau^2), so the
    # Q-profile bound for Q = q is tau^2 = (1.44 / q - 0.13) / 2: the upper one, at
    # q = qchisq(0.025, 1), is 733.08, beyond metafor's default search end max(100, 10 tau^2)
    # = 100, where the bound stops (">" 100) unless tau2.max is raised. metafor 3.8-1:
    #   confint(rma(c(-1.6, -0.4), c(0.05, 0.08), method = "REML", test = "knha",
    #               control = list(tau2.max = 10000)))   # tau^2 0.0783147 to 733.0809548
    #   ... without control                              # tau^2 0.0783147 to 100
    def bound(q: float) -> float:
        return (1.44 / q - 0.13) / 2

    dn = with_model(pooled_of("dn", "sham", [("Okafor", -1.6, 0.05), ("Silva", -1.3, 0.18), ("Tan", -0.4, 0.08)],
                              -1.1, 0.4), "REML", "knha")
    dn["pooled"]["tau2_max"] = tau2_max
    acu = with_model(pooled_of("acu", "sham", [("Brinkhaus", -0.5, 0.2), ("Silva", -0.8, 0.18)], -0.66, 0.3),
                     "REML", "knha")
    (x,) = compare([dn, acu], measure="MD")["anchored"]
    refit = x["a_vs_c"]["refit"]
    assert refit["tau2_max"] == tau2_max
    # exactly the root, and where metafor's uniroot (tol 2^-13) printed it
    assert refit["tau2_ci_lb"] == pytest.approx(bound(dist.chi2_isf(0.025, 1)), rel=1e-9)
    assert_printed(refit["tau2_ci_lb"], "0.0783147", "loose_tau2", "tau2_ci_lb")
    if tau2_max is None:
        assert (refit["tau2_ci_ub"], refit["tau2_ci_ub_sign"]) == (100.0, ">")
    else:
        assert refit["tau2_ci_ub"] == pytest.approx(bound(dist.chi2_isf(0.975, 1)), rel=1e-9)
        assert_printed(refit["tau2_ci_ub"], "733.0809548", "loose_tau2", "tau2_ci_ub")
        assert refit["tau2_ci_ub_sign"] == ""
    # the point estimate does not depend on the search: tau2.max bounds only the interval
    assert refit["tau2"] == pytest.approx(0.655, rel=1e-9)


def test_a_refit_keeps_the_estimator_test_and_orientation_of_the_analysis() -> None:
    # Sham vs dry needling (the other way round), pooled with DerSimonian-Laird and a z
    # test from Silva and three others; without Silva, DL by hand on 1.6, 0.4, 0.9 with
    # variances 0.05, 0.08, 0.06: w = 20, 12.5, 50/3; mu_FE = sum w y / sum w; Q = sum w
    # (y - mu_FE)^2; tau^2 = (Q - 2) / (sum w - sum w^2 / sum w); then w* = 1/(v + tau^2),
    # mu = sum w* y / sum w*, se = 1 / sqrt(sum w*). metafor 3.8-1, rma(c(-1.6, -0.4, -0.9),
    # c(0.05, 0.08, 0.06), method = "DL"): estimate -0.982711317497234, se
    # 0.348438352981755, tau^2 0.301315789473684 (dry needling vs sham: the sign turned).
    y, v = [1.6, 0.4, 0.9], [0.05, 0.08, 0.06]
    w = [1 / vi for vi in v]
    mu_fe = sum(wi * yi for wi, yi in zip(w, y)) / sum(w)
    q = sum(wi * (yi - mu_fe) ** 2 for wi, yi in zip(w, y))
    tau2 = (q - 2) / (sum(w) - sum(wi ** 2 for wi in w) / sum(w))
    ws = [1 / (vi + tau2) for vi in v]
    mu = sum(wi * yi for wi, yi in zip(ws, y)) / sum(ws)
    assert_close(tau2, 0.301315789473684, "elementary", "tau2")
    assert_close(mu, 0.982711317497234, "elementary", "estimate")
    dn = with_model(pooled_of("sham", "dn", [("A", 1.6, 0.05), ("B", 0.4, 0.08), ("C", 0.9, 0.06),
                                             ("Silva", 1.3, 0.18)], 1.1, 0.3), "DL", "z")
    acu = pooled_of("acu", "sham", [("Brinkhaus", -0.5, 0.2), ("Silva", -0.8, 0.18)], -0.66, 0.3)
    (x,) = compare([dn, acu], measure="MD")["anchored"]
    assert x["a_vs_c"]["refit"]["method"] == "DL" and x["a_vs_c"]["refit"]["test"] == "z"
    assert x["a_vs_c"]["estimate"] == pytest.approx(-mu, rel=1e-12)
    # A z interval gives back the model SE.
    assert x["a_vs_c"]["variance"] == pytest.approx(1 / sum(ws), rel=1e-12)
    assert x["estimate"] == pytest.approx(-mu + 0.5, rel=1e-12)
    assert x["se"] == pytest.approx(math.sqrt(1 / sum(ws) + 0.2), rel=1e-12)


def test_a_side_whose_only_trial_is_the_shared_one_anchors_no_comparison() -> None:
    # Dry needling vs sham is Silva alone: left out, it leaves that side with no trial, so
    # no comparison is made through sham, whatever other trials compare acupuncture with it.
    results = [result("dn", "sham", studies=[("Silva", -1.3, 0.18)], measure="MD"),
               pooled_of("acu", "sham", [("Brinkhaus", -0.5, 0.2), ("Silva", -0.8, 0.18)], -0.66, 0.3)]
    results[0]["studies"][0]["study_id"] = "Silva"
    results[1]["studies"][1]["label"] = "Silva"
    doc = compare(results, measure="MD")
    assert doc["status"] == "shared_trial" and doc["anchored"] == []
    assert doc["shared"] == [{"comparator": "sham", "comparator_label": "Sham", "studies": ["Silva"],
                              "left_a": 0, "left_b": 1}]
    assert "Silva compares dry needling, acupuncture and sham in one trial" in doc["finding"]
    assert ("Left out of both sides, it leaves dry needling with no other trial against sham, so no comparison is "
            "made through sham") in doc["left_out"]


def test_a_pooled_side_of_shared_trials_only_anchors_no_comparison() -> None:
    # Dry needling vs sham pooled Silva and Tan, both three-arm trials that acupuncture vs
    # sham pooled too: left out, they leave that side with nothing to compare.
    results = [pooled_of("dn", "sham", [("Silva", -1.3, 0.18), ("Tan", -0.9, 0.1)], -1.1, 0.25),
               pooled_of("acu", "sham", [("Brinkhaus", -0.5, 0.2), ("Silva", -0.8, 0.18), ("Tan", -0.4, 0.1)],
                         -0.6, 0.2)]
    doc = compare(results, measure="MD")
    assert doc["status"] == "shared_trial" and doc["anchored"] == []
    assert doc["shared"] == [{"comparator": "sham", "comparator_label": "Sham",
                              "studies": ["Silva et al.", "Tan et al."], "left_a": 0, "left_b": 1}]
    assert ("Left out of both sides, they leave dry needling with no other trial against sham, so no comparison "
            "is made through sham") in doc["left_out"]
    # nor is the difference of the two sides through sham offered as an unanchored one:
    # it is the anchored comparison the shared trials rule out
    assert compare(results, measure="MD", show_unanchored=True)["unanchored"] == []


def test_a_side_left_with_fewer_studies_than_the_pooling_threshold_anchors_no_comparison() -> None:
    # With a threshold of 3, the two acupuncture trials left without Silva are not pooled
    # (the analysis would not pool them either), and Bucher's method takes one estimate a side.
    results = [pooled_of("dn", "sham", [("Okafor", -1.2, 0.17), ("Silva", -1.3, 0.18), ("Tan", -0.9, 0.1)],
                         -1.1, 0.2),
               pooled_of("acu", "sham", [("Brinkhaus", -0.5, 0.2), ("Kim", -0.3, 0.1), ("Silva", -0.8, 0.18)],
                         -0.5, 0.2)]
    doc = indirect_comparison({**SPEC, "measure": "MD"}, results, labels=LABELS, min_studies=3)
    assert doc["status"] == "shared_trial"
    assert (doc["shared"][0]["left_a"], doc["shared"][0]["left_b"]) == (2, 2)
    assert "acupuncture with 2 estimates against sham that no analysis pooled into one" in doc["left_out"]


def test_several_unpooled_estimates_with_the_shared_trial_among_them_leave_one_each() -> None:
    # Not pooled (a threshold of 3): each side's estimates are single studies, Silva's
    # among them. Left out, each side has one trial against sham: -1.2 - (-0.5) = -0.7.
    results = [result("dn", "sham", studies=[("Okafor", -1.2, 0.17), ("Silva", -1.3, 0.18)], measure="MD"),
               result("acu", "sham", studies=[("Brinkhaus", -0.5, 0.2), ("Silva", -0.8, 0.18)], measure="MD")]
    doc = indirect_comparison({**SPEC, "measure": "MD"}, results, labels=LABELS, min_studies=3)
    assert doc["status"] == "anchored"
    assert doc["anchored"][0]["estimate"] == pytest.approx(-0.7, rel=1e-12)
    assert doc["anchored"][0]["se"] == pytest.approx(math.sqrt(0.37), rel=1e-12)
    assert doc["anchored"][0]["shared"] == ["Silva"]


def test_the_indirect_job_loads_no_model_code_unless_a_side_is_refitted() -> None:
    # numpy and the model code cost the job more than its own work: only a refit imports them.
    code = (
        "import sys\n"
        "from metareview.indirect import indirect_comparison\n"
        "r = lambda i, c, sid, y, v: {'analysis': {'id': i + c, 'intervention': i, 'comparator': c, "
        "'outcome': 'pain', 'window': 'short', 'measure': 'MD'}, 'status': 'single_study', 'k': 1, "
        "'pooled': None, 'studies': [{'study_id': sid, 'label': sid, 'yi': y, 'vi': v}]}\n"
        "spec = {'id': 'x', 'treatment_a': 'dn', 'treatment_b': 'acu', 'outcome': 'pain', 'window': 'short', "
        "'measure': 'MD'}\n"
        "doc = indirect_comparison(spec, [r('dn', 'sham', 'A', -1.0, 0.1), r('acu', 'sham', 'B', -0.5, 0.1)], "
        "labels={})\n"
        "assert doc['status'] == 'anchored'\n"
        "print(sorted(m for m in ('numpy', 'scipy', 'metareview.pool') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_shared_trial_is_matched_by_id_not_label() -> None:
    # Two different trials that happen to share a label are not one trial on both sides.
    a = pooled_of("dn", "sham", [("Lee2020a", -1.2, 0.17), ("Okafor", -1.3, 0.18)], -1.25, 0.3)
    b = pooled_of("acu", "sham", [("Lee2020b", -0.5, 0.2), ("Kim", -0.8, 0.18)], -0.66, 0.3)
    a["studies"][0]["label"] = b["studies"][0]["label"] = "Lee et al. (2020)"
    doc = compare([a, b], measure="MD")
    assert doc["status"] == "anchored" and doc["shared"] == [] and doc["left_out"] == ""
    # -1.25 - (-0.66) = -0.59, variance 0.09 + 0.09
    assert doc["anchored"][0]["estimate"] == pytest.approx(-0.59, rel=1e-12)
    assert doc["anchored"][0]["se"] == pytest.approx(math.sqrt(0.18), rel=1e-12)


def test_a_shared_trial_leaves_other_comparators_anchored() -> None:
    # Through usual care the sides are independent trials: that comparison stands, and the
    # one through sham, whose dry-needling side is the shared trial alone, is left out with
    # its reason.
    results = [pooled_of("dn", "sham", [("Silva", -1.3, 0.18)], -1.3, 0.42),
               pooled_of("acu", "sham", [("Brinkhaus", -0.5, 0.2), ("Silva", -0.8, 0.18)], -0.66, 0.3),
               result("dn", "uc", studies=[("C", -1.0, 0.1)], measure="MD"),
               result("acu", "uc", studies=[("D", -0.7, 0.05)], measure="MD")]
    results[0]["status"] = "single_study"
    results[0]["pooled"] = None
    doc = compare(results, measure="MD")
    assert doc["status"] == "anchored"
    assert [x["comparator"] for x in doc["anchored"]] == ["uc"]
    assert doc["anchored"][0]["estimate"] == pytest.approx(-0.3, rel=1e-12)
    assert "Silva et al. compares" in doc["detail"] and "no comparison is made through sham" in doc["finding"]


def test_a_treatment_the_review_marks_a_proper_name_is_not_lowered_in_the_texts() -> None:
    # Dry needling against sham, acupuncture against usual care: no common comparator,
    # and every sentence names both treatments mid-sentence.
    rs = [result("dn", "sham", pooled=(-0.5, 0.1, 3)), result("acu", "uc", pooled=(-0.3, 0.1, 3))]
    lowered = indirect_comparison(SPEC, rs, labels=LABELS)["finding"]
    assert "no anchored indirect comparison of dry needling and acupuncture" in lowered
    doc = indirect_comparison(SPEC, rs, labels=LABELS, names={"Dry needling"})
    assert doc["finding"] == ("Indirect comparison of Dry needling and acupuncture (pain): no common comparator. "
                              "In the SMD analyses of pain, short, Dry needling is compared with sham; acupuncture "
                              "is compared with usual care. The two share no named comparator, so no anchored "
                              "indirect comparison of Dry needling and acupuncture exists.")


def test_a_treatment_in_no_analysis_is_said_to_be_the_review_s_choice() -> None:
    # No analysis of dry needling at all (not one without trials): "no usable trial of dry
    # needling" would blame the trials for the review's own choice.
    doc = compare([result("acu", "sham", studies=[("B", -0.4, 0.04)])])
    assert doc["status"] == "no_common_comparator"
    assert "dry needling is in none against a third treatment; acupuncture is compared with sham." in doc["detail"]
    assert doc["detail"].endswith("The review defines no SMD analysis of dry needling against a third treatment on "
                                  "this outcome and window, so there is nothing to anchor an "
                                  "indirect comparison of dry needling and acupuncture on.")
    # Neither in one: that sentence alone.
    doc = compare([])
    assert doc["detail"] == ("The review defines no SMD analysis of dry needling or of acupuncture against a third "
                             "treatment on this outcome and window, so there is nothing to "
                             "anchor an indirect comparison of dry needling and acupuncture on.")


def test_a_treatment_in_no_analysis_on_another_measure_is_said_to_be_in_none() -> None:
    # Acupuncture's only analysis is an MD one; dry needling has none on either measure.
    doc = compare([result("acu", "sham", studies=[("B", -0.4, 0.04)], measure="MD")])
    assert doc["detail"].endswith(" In the MD analyses, which are not combined with SMD ones, dry needling is in none "
                                  "against a third treatment; acupuncture is compared with sham.")
    # Defined but without a trial, it is still "compared with no third treatment in a usable trial".
    doc = compare([result("acu", "sham", studies=[("B", -0.4, 0.04)], measure="MD"),
                   result("dn", "sham", status="no_studies", measure="MD")])
    assert " In the MD analyses, which are not combined with SMD ones, dry needling is compared with no third " \
        "treatment in a usable trial;" in doc["detail"]
    # ... and the reason given first is the one no measure would change, as the summary
    # gives it: the review's SMD analyses are missing for both, but dry needling's MD one
    # has no trial either.
    assert doc["detail"].startswith(
        "Dry needling has no usable trial against a third treatment in the review's analyses of this outcome and "
        "window, on any measure, and the review defines no SMD analysis of acupuncture against a third treatment "
        "there, so there is nothing to anchor an indirect comparison of dry needling and "
        "acupuncture on.")
    assert "The review defines no SMD analysis of dry needling" not in doc["detail"]


def test_a_90_percent_analysis_gives_its_sides_the_se_of_its_own_level() -> None:
    # A pooled side with a 90% Wald interval -0.45 ± z(0.95) · 0.1 enters with SE 0.1:
    # the SE is read back with the interval's own quantile, z(0.95) = 1.64485, not 1.96
    # (which would give 0.1 · 1.64485 / 1.95996 = 0.0839).
    z95 = NormalDist().inv_cdf(0.95)
    pooled = result("acu", "sham", pooled=(-0.45, 0.1, 2))
    pooled["pooled"].update({"ci_lb": -0.45 - z95 * 0.1, "ci_ub": -0.45 + z95 * 0.1, "level": 90.0})
    (x,) = compare([result("dn", "sham", studies=[("Lee", -0.8, 0.09)]), pooled])["anchored"]
    assert x["b_vs_c"]["variance"] == pytest.approx(0.01, rel=1e-12)
    # Refitted without a shared trial, a side keeps the analysis's 90% level. FE on
    # Okafor (-1.6, 0.05) and Tan (-0.4, 0.08): w = 20, 12.5, mu = (-32 - 5) / 32.5, se^2
    # = 1 / 32.5, interval mu ± z(0.95) se; its SE read back at 90% is 1 / sqrt(32.5).
    dn = with_model(pooled_of("dn", "sham", [("Okafor", -1.6, 0.05), ("Silva", -1.3, 0.18), ("Tan", -0.4, 0.08)],
                              -1.1, 0.4), "FE", "z", level=90.0)
    acu = with_model(pooled_of("acu", "sham", [("Brinkhaus", -0.5, 0.2), ("Silva", -0.8, 0.18)], -0.66, 0.3),
                     "FE", "z", level=90.0)
    (x,) = compare([dn, acu], measure="MD")["anchored"]
    refit = x["a_vs_c"]["refit"]
    assert refit["level"] == 90.0
    assert refit["estimate"] == pytest.approx(-37 / 32.5, rel=1e-12)
    assert refit["ci_ub"] - refit["estimate"] == pytest.approx(z95 / math.sqrt(32.5), rel=1e-12)
    assert x["a_vs_c"]["variance"] == pytest.approx(1 / 32.5, rel=1e-12)


# --- the controls each side used (transitivity) ---------------------------------------------------------


def arms(study: dict[str, Any], intervention: str, comparator: str) -> dict[str, Any]:
    """``study`` with its arms' raw treatments, as the analyses' JSON records them."""
    def one(code: str) -> list[dict[str, str]]:
        return [{"treatment": code, "label": code.replace("_", " ").capitalize()}]

    return {**study, "arm_treatments": {"intervention": one(intervention), "comparator": one(comparator)}}


def test_each_side_names_its_trials_controls_and_whether_they_differ() -> None:
    # The node "sham" groups sham dry needling and sham acupuncture: the dry needling
    # trial's control is the one, both acupuncture trials' the other. The node is common,
    # its treatments are not, so the comparison assumes the two shams have the same effect.
    dn = result("dn", "sham", studies=[("Lee", -0.8, 0.09)])
    dn["studies"] = [arms(dn["studies"][0], "dry_needling", "sham_dry_needling")]
    acu = pooled_of("acu", "sham", [("Brinkhaus", -0.5, 0.2), ("Haake", -0.3, 0.1)], -0.4, 0.25)
    acu["analysis"]["measure"] = "SMD"
    acu["studies"] = [arms(s, "acupuncture", "sham_acupuncture") for s in acu["studies"]]
    (x,) = compare([dn, acu])["anchored"]
    assert x["a_vs_c"]["comparator_treatments"] == [
        {"treatment": "sham_dry_needling", "label": "Sham dry needling", "study_ids": ["LEE"]}]
    assert x["b_vs_c"]["comparator_treatments"] == [
        {"treatment": "sham_acupuncture", "label": "Sham acupuncture", "study_ids": ["Brinkhaus", "Haake"]}]
    assert x["controls_differ"] is True
    # The same sham on both sides: nothing to assume beyond the node.
    dn["studies"] = [arms(dn["studies"][0], "dry_needling", "sham_acupuncture")]
    (x,) = compare([dn, acu])["anchored"]
    assert x["controls_differ"] is False
    # A pooled side whose trials used different shams lists each, with its trials.
    acu["studies"][1] = arms(acu["studies"][1], "acupuncture", "minimal_acupuncture")
    (x,) = compare([dn, acu])["anchored"]
    assert [(t["treatment"], t["study_ids"]) for t in x["b_vs_c"]["comparator_treatments"]] == [
        ("minimal_acupuncture", ["Haake"]), ("sham_acupuncture", ["Brinkhaus"])]
    assert x["controls_differ"] is True


def test_the_controls_are_read_on_the_side_opposite_the_treatment() -> None:
    # An analysis of sham vs acupuncture (the treatment as its comparator) has the sham
    # arms as its intervention side.
    dn = result("dn", "sham", studies=[("Lee", -0.8, 0.09)])
    dn["studies"] = [arms(dn["studies"][0], "dry_needling", "sham_dry_needling")]
    acu = result("sham", "acu", studies=[("Kerr", 0.3, 0.1)])
    acu["studies"] = [arms(acu["studies"][0], "placebo_tens", "acupuncture")]
    (x,) = compare([dn, acu])["anchored"]
    assert [t["treatment"] for t in x["b_vs_c"]["comparator_treatments"]] == ["placebo_tens"]
    assert x["controls_differ"] is True


def test_a_side_refitted_without_a_shared_trial_names_the_controls_of_the_trials_it_keeps() -> None:
    dn = pooled_of("dn", "sham", [("Okafor", -1.2, 0.17), ("Silva", -1.3, 0.18)], -1.25, 0.29)
    dn["studies"] = [arms(dn["studies"][0], "dry_needling", "sham_dry_needling"),
                     arms(dn["studies"][1], "dry_needling", "sham_acupuncture")]
    acu = pooled_of("acu", "sham", [("Brinkhaus", -0.5, 0.2), ("Silva", -0.8, 0.18)], -0.66, 0.3)
    acu["studies"] = [arms(s, "acupuncture", "sham_acupuncture") for s in acu["studies"]]
    (x,) = compare([dn, acu], measure="MD")["anchored"]
    assert x["a_vs_c"]["comparator_treatments"] == [
        {"treatment": "sham_dry_needling", "label": "Sham dry needling", "study_ids": ["Okafor"]}]
    assert x["controls_differ"] is True


def test_results_that_do_not_record_the_arms_treatments_name_no_controls() -> None:
    # Analyses written before the arms' treatments were recorded: no list of some trials'
    # controls, and no judgement of whether they differ.
    dn = result("dn", "sham", studies=[("Lee", -0.8, 0.09)])
    dn["studies"] = [arms(dn["studies"][0], "dry_needling", "sham_dry_needling")]
    (x,) = compare([dn, result("acu", "sham", pooled=(-0.45, 0.1, 4))])["anchored"]
    assert "comparator_treatments" in x["a_vs_c"] and "comparator_treatments" not in x["b_vs_c"]
    assert "controls_differ" not in x
