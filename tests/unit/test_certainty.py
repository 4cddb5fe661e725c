"""GRADE levels from the review team's judgements (metareview.certainty)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from metareview.certainty import DOMAINS, Certainty, describe, fingerprint, rate


def judged(studies: list[str], **ratings: str) -> dict[str, Any]:
    """Judgements on ``studies``: every domain not serious unless given."""
    out: dict[str, Any] = {"studies": studies}
    for d in DOMAINS:
        rating = ratings.get(d, "not_serious")
        out[d] = {"rating": rating, **({"reason": f"why {d}"} if rating != "not_serious" else {})}
    return out


@pytest.mark.parametrize(("ratings", "level"), [
    ({}, "high"),
    ({"imprecision": "serious"}, "moderate"),
    ({"risk_of_bias": "serious", "imprecision": "serious"}, "low"),
    ({"imprecision": "very_serious"}, "low"),
    ({"risk_of_bias": "serious", "inconsistency": "serious", "imprecision": "serious"}, "very_low"),
    # Very low is the floor: five levels down is still very low.
    ({"risk_of_bias": "very_serious", "imprecision": "very_serious", "indirectness": "serious"}, "very_low"),
])
def test_randomised_evidence_starts_high_and_each_concern_rates_it_down(ratings: dict[str, str], level: str) -> None:
    c = rate(judged(["A", "B"], **ratings), ["A", "B"])
    assert c.status == "graded" and c.level == level
    assert c.rated_down_for == [d for d in DOMAINS if d in ratings]
    assert c.reasons == {d: f"why {d}" for d in ratings}


def test_no_judgements_and_no_evidence_give_no_level() -> None:
    assert rate(None, ["A"]) == Certainty("not_assessed")
    assert rate({}, ["A"]).status == "not_assessed"
    assert rate(None, [], has_evidence=False) == Certainty("no_evidence")
    # Nothing to rate wins over judgements (an analysis whose studies all became
    # unusable), which are kept for the report to name.
    c = rate(judged(["A"]), [], has_evidence=False)
    assert c.status == "no_evidence" and c.level is None and c.judged == ("A",)
    assert describe(c, {"A": "Ay (2020)"}) == "not rated (no study effect to rate; judged on Ay, 2020)"


def test_a_domain_not_judged_leaves_the_level_open() -> None:
    j = judged(["A"])
    del j["publication_bias"], j["inconsistency"]
    c = rate(j, ["A"])
    assert c.status == "incomplete" and c.level is None
    assert c.missing == ("inconsistency", "publication_bias")
    assert describe(c) == "not rated (inconsistency and publication bias not judged)"


def test_judgements_made_on_other_studies_are_out_of_date() -> None:
    # A study added since the judgements were made: its risk of bias and its effect on
    # precision and consistency were never judged.
    c = rate(judged(["A", "B"], imprecision="serious"), ["A", "B", "C"])
    assert c.status == "out_of_date" and c.level is None and c.added == ("C",) and c.dropped == ()
    # Said neutrally: a study added, one removed and a mistyped id read alike.
    assert describe(c, {"C": "Cee et al. (2024)"}) == (
        "not rated (judged on A and B; the analysis now rests on A, on B and on Cee et al., 2024)")
    removed = rate(judged(["A", "B"]), ["A"])
    assert removed.status == "out_of_date" and removed.dropped == ("B",)
    assert describe(removed) == "not rated (judged on A and B; the analysis now rests on A)"
    # The order the studies are listed in does not matter.
    assert rate(judged(["B", "A"]), ["A", "B"]).level == "high"


def test_describe_names_the_level_and_the_domains_that_lowered_it() -> None:
    assert describe(rate(judged(["A"]), ["A"])) == "high"
    c = rate(judged(["A"], risk_of_bias="serious", imprecision="very_serious"), ["A"])
    assert describe(c) == "very low (rated down for risk of bias, and two levels for imprecision)"
    c = rate(judged(["A"], imprecision="very_serious"), ["A"])
    assert describe(c) == "low (rated down two levels for imprecision)"
    c = rate(judged(["A"], risk_of_bias="serious", indirectness="serious"), ["A"])
    assert describe(c) == "low (rated down for risk of bias and indirectness)"
    assert describe(Certainty("not_assessed")) == "not rated (no GRADE judgements recorded)"


def test_ratings_and_domains_outside_grade_are_refused() -> None:
    with pytest.raises(ValueError, match="rating 'high' is not one of not_serious, serious, very_serious"):
        rate({"studies": ["A"], "imprecision": {"rating": "high"}}, ["A"])
    with pytest.raises(ValueError, match="not a GRADE domain: large_effect"):
        rate({"studies": ["A"], "large_effect": {"rating": "serious"}}, ["A"])


def test_to_dict_round_trips_the_fields() -> None:
    c = rate(judged(["A"], imprecision="serious") | {"assessed_by": "Review team"}, ["A"])
    d = c.to_dict()
    assert d["level"] == "moderate" and d["downgrades"]["imprecision"] == 1 and d["assessed_by"] == "Review team"
    assert Certainty(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}) == c


def test_a_large_out_of_date_analysis_names_only_the_studies_that_differ() -> None:
    held = [f"S{i}" for i in range(8)]
    c = rate(judged(held[:6] + ["X"]), held)
    assert c.added == ("S6", "S7") and c.dropped == ("X",)
    assert describe(c) == ("not rated (judged on 7 studies; the analysis now rests on 8; no judgement on S6 and S7; "
                           "the analysis no longer rests on X)")


def test_fingerprint_changes_with_any_judged_number_and_nothing_else() -> None:
    base = fingerprint(-0.51, 0.2016, 60, 58, [("overall", "low")])
    # A letter YAML cannot read as part of a number, then seven hex digits.
    assert re.fullmatch("[g-v][0-9a-f]{7}", base)
    # Ten significant digits: a last-bit difference between machines is no edit.
    assert fingerprint(-0.51 * (1 + 1e-15), 0.2016, 60, 58, [("overall", "low")]) == base
    # The order of the risk-of-bias rows is not data.
    assert fingerprint(-0.51, 0.2016, 60, 58, [("overall", "low"), ("D1", "low")]) == \
        fingerprint(-0.51, 0.2016, 60, 58, [("D1", "low"), ("overall", "low")])
    edits = [fingerprint(-0.52, 0.2016, 60, 58, [("overall", "low")]),
             fingerprint(-0.51, 0.2017, 60, 58, [("overall", "low")]),
             fingerprint(-0.51, 0.2016, 61, 58, [("overall", "low")]),
             fingerprint(-0.51, 0.2016, 60, None, [("overall", "low")]),
             fingerprint(-0.51, 0.2016, 60, 58, [("overall", "high")]),
             fingerprint(-0.51, 0.2016, 60, 58)]
    assert base not in edits and len(set(edits)) == len(edits)


def test_judgements_on_data_that_changed_since_are_out_of_date() -> None:
    j = judged(["A", "B"], imprecision="serious")
    j["studies"] = {"A": "g000aaaa", "B": "g000bbbb"}
    same = rate(j, ["A", "B"], fingerprints={"A": "g000aaaa", "B": "g000bbbb"})
    assert same.status == "graded" and same.level == "moderate" and same.judged == ("A", "B")
    c = rate(j, ["A", "B"], fingerprints={"A": "g000aaaa", "B": "h111bbbb"})
    assert c.status == "out_of_date" and c.level is None and c.changed == ("B",)
    assert describe(c, {"B": "Bee (2019)"}) == ("not rated (the data of Bee, 2019 do not match the fingerprint recorded with the "
                                                  "judgements: their data changed, or the code was mistyped)")
    # Both at once: a study added, and a judged one's data edited.
    c = rate(j, ["A", "B", "C"], fingerprints={"A": "i222aaaa", "B": "g000bbbb", "C": "j333cccc"})
    assert (c.added, c.changed) == (("C",), ("A",))
    assert describe(c) == ("not rated (judged on A and B; the analysis now rests on A, B and C; the data of A do not "
                           "match the fingerprint recorded with the judgements: their data changed, or the code was "
                           "mistyped)")
    # Judgements that list their studies only cannot tell an edit.
    listed = rate(judged(["A", "B"]), ["A", "B"], fingerprints={"A": "p999aaaa", "B": "p999bbbb"})
    assert listed.status == "graded"


def test_study_labels_inside_the_phrase_s_brackets_give_their_own_as_commas() -> None:
    # "not rated (judged on Kim et al. (2008) ...)" nested one bracket in another. Inside,
    # a label's year follows a comma (fmt.in_brackets), and "on" before each label of a
    # list says where the next begins: "Kim et al., 2008 and Lee, 2009" could be two
    # studies or three, and join_list's semicolons would run into the clauses'.
    labels = {"K": "Kim et al. (2008)", "R": "Review (2023, unidentified)", "L": "Lee (2010), pilot"}
    c = rate(judged(["K", "R"]), ["K", "R", "L"])
    assert describe(c, labels) == (
        "not rated (judged on Kim et al., 2008 and on Review, 2023, unidentified; the analysis now rests on "
        "Kim et al., 2008, on Review, 2023, unidentified and on Lee, 2010, pilot)")
    # No bracket opens inside the phrase's own.
    inside = describe(c, labels).removeprefix("not rated (").removesuffix(")")
    assert "(" not in inside and ")" not in inside
    # The data of two studies changed: "of" before each.
    j = judged(["K", "L"])
    j["studies"] = {"K": "g000aaaa", "L": "g000bbbb"}
    c = rate(j, ["K", "L"], fingerprints={"K": "h111aaaa", "L": "h111bbbb"})
    assert describe(c, labels).startswith("not rated (the data of Kim et al., 2008 and of Lee, 2010, pilot do not match ")
    # Nothing to rate any more, judged on a study with a bracketed label.
    c = rate(judged(["R"]), [], has_evidence=False)
    assert describe(c, labels) == "not rated (no study effect to rate; judged on Review, 2023, unidentified)"
    # For a caller that prints the reasons without the brackets (the certainty table's
    # cell), each label as written.
    c = rate(judged(["K"]), ["K", "L"])
    assert describe(c, labels, bracketed=False) == (
        "not rated (judged on Kim et al. (2008); the analysis now rests on Kim et al. (2008) and on Lee (2010), pilot)")


def test_a_large_out_of_date_analysis_with_studies_only_added_or_only_dropped() -> None:
    held = [f"S{i}" for i in range(8)]
    added = rate(judged(held[:6]), held)
    assert added.added == ("S6", "S7") and added.dropped == ()
    assert describe(added) == ("not rated (judged on 6 studies; the analysis now rests on 8; "
                               "no judgement on S6 and S7)")
    dropped = rate(judged(held + ["X"]), held)
    assert dropped.added == () and dropped.dropped == ("X",)
    assert describe(dropped) == ("not rated (judged on 9 studies; the analysis now rests on 8; "
                                 "the analysis no longer rests on X)")


def test_a_large_out_of_date_analysis_names_the_studies_that_differ_one_preposition_each() -> None:
    held = [f"S{i}" for i in range(7)]
    labels = {"S5": "Five (2005), pilot", "S6": "Six (2006)", "X": "Ex (1999), withdrawn"}
    c = rate(judged(held[:5] + ["X"]), held)
    assert describe(c, labels) == (
        "not rated (judged on 6 studies; the analysis now rests on 7; no judgement on Five, 2005, pilot and on "
        "Six, 2006; the analysis no longer rests on Ex, 1999, withdrawn)")


def test_inconsistency_rated_down_for_one_study_is_noted_not_refused() -> None:
    from metareview.certainty import ONE_STUDY_INCONSISTENCY

    # One study has no other's results to differ from: GRADE rates inconsistency there only
    # in special cases, so the rating stands and the report is given a note to print.
    one = rate(judged(["A"], inconsistency="serious"), ["A"])
    assert (one.status, one.level, one.notes) == ("graded", "moderate", (ONE_STUDY_INCONSISTENCY,))
    assert one.to_dict()["notes"] == [ONE_STUDY_INCONSISTENCY]
    # Kept while the judgements are incomplete too: the table prints the ratings made.
    incomplete = judged(["A"], inconsistency="very_serious")
    del incomplete["publication_bias"]
    assert rate(incomplete, ["A"]).notes == (ONE_STUDY_INCONSISTENCY,)
    # Nothing to note with two studies, or with inconsistency not rated down.
    assert rate(judged(["A", "B"], inconsistency="serious"), ["A", "B"]).notes == ()
    assert rate(judged(["A"], imprecision="serious"), ["A"]).notes == ()
