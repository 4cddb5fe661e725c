"""How numbers print: rounded as the decimal they stand for, with a true minus sign."""

from __future__ import annotations

import pytest

from metareview.fmt import (
    f2,
    fixed,
    holds_comma,
    in_brackets,
    in_sentence,
    join_list,
    join_reasons,
    proper_names,
    reason_order,
    rounds_to_zero,
    timepoint_reason,
    typed,
    with_each,
)


@pytest.mark.parametrize("x, digits, text", [
    # Brinkhaus 2006's interval, -2.975 to -1.365 on paper, as computed in binary: by
    # hand the lower bound rounds to -2.98, and the upper is a tie (to even).
    (-2.9749999999999996, 2, "-2.98"),
    (-1.3649999999999998, 2, "-1.36"),
    (2.675, 2, "2.68"),  # 2.67499999999999982236431605997495353221893310546875 in binary
    (-1.365, 2, "-1.36"),  # an exact tie on paper: to even
    (0.125, 2, "0.12"),  # an exact tie in binary too: to even, as Python rounds it
    (0.1251, 2, "0.13"),
    (-0.004, 2, "-0.00"),
    (1234.5678, 1, "1234.6"),
    (7.0, 0, "7"),
    (1234567890123.455, 2, "1234567890123.46"),  # beyond 12 digits: as the binary value prints
])
def test_numbers_round_as_the_decimal_they_stand_for(x: float, digits: int, text: str) -> None:
    assert fixed(x, digits) == text


def test_the_report_prints_a_true_minus_and_no_sign_on_a_rounded_zero() -> None:
    assert f2(-2.9749999999999996) == "\u22122.98"
    assert f2(-0.004) == "0.00"
    assert f2(None) == "\u2013"
    assert f2(float("nan")) == "nan"


def test_words_beside_a_number_follow_how_it_prints() -> None:
    assert rounds_to_zero(4.4 - 4.35, 1)  # 0.05000000000000071 prints 0.0
    assert not rounds_to_zero(0.06, 1)
    assert rounds_to_zero(-0.4, 0) and not rounds_to_zero(-0.6, 0)


@pytest.mark.parametrize(("x", "text"), [(0.00001, "0.00001"), (1e-6, "0.000001"), (30.0, "30"), (21.7, "21.7"),
                                        (-0.037, "-0.037"), (387, "387"), (1e6, "1000000"), (-0.0, "0")])
def test_a_raw_cell_prints_as_typed_never_in_exponent_notation(x: float, text: str) -> None:
    # The cell "0.00001" (a p-value of Liu 2018) printed with format "g" read "1e-05".
    assert typed(x) == text


@pytest.mark.parametrize("label, expected", [
    ("Acupuncture", "acupuncture"),
    ("Sham, minimal needling or placebo TENS", "sham, minimal needling or placebo TENS"),
    ("TENS alone", "TENS alone"),  # an acronym keeps its capitals
    ("A", "A"),
    # A name spelt with a capital inside it: lowering the first letter misspelt it.
    ("McKenzie method", "McKenzie method"),
    ("DiCaprio protocol", "DiCaprio protocol"),
    ("Dry needling (DN)", "dry needling (DN)"),  # only the first word decides
])
def test_a_label_mid_sentence_is_lower_case_unless_an_acronym(label: str, expected: str) -> None:
    assert in_sentence(label) == expected


def test_a_label_the_review_marks_a_proper_name_keeps_its_capital_mid_sentence() -> None:
    nodes = {"pil": {"label": "Pilates", "treatments": ["pilates"], "proper_name": True},
             "at": {"label": "Alexander technique", "treatments": ["alexander"], "proper_name": True},
             "ex": {"label": "Exercise", "treatments": ["exercise"], "proper_name": False},
             "uc": {"label": "Usual care", "treatments": ["usual_care"]}}
    names = proper_names(nodes)
    assert names == {"Pilates", "Alexander technique"}
    assert in_sentence("Pilates", names) == "Pilates"
    assert in_sentence("Alexander technique", names) == "Alexander technique"
    # The others are lowered as before, and so is a name the review does not mark.
    assert in_sentence("Usual care", names) == "usual care"
    assert in_sentence("Exercise", names) == "exercise"
    assert in_sentence("Pilates") == "pilates"
    # Only the whole label: another label that starts with the name is not one.
    assert in_sentence("Pilates with weights", names) == "pilates with weights"
    assert proper_names({}) == frozenset()


def test_labels_after_with_read_as_prose() -> None:
    assert with_each([]) == "" and with_each(["usual care"]) == "usual care"
    assert with_each(["a", "b", "c"]) == "a, b and c"
    # A label holding a comma: "with" before each, so that two groups do not read as three.
    assert with_each(["no treatment", "sham, minimal needling or placebo TENS"]) == (
        "no treatment and with sham, minimal needling or placebo TENS")
    assert with_each(["x", "y, z", "w"]) == "x, with y, z and with w"
    # A label with an "or" of its own: "against no treatment or waiting list and usual care"
    # read as one group of three alternatives as well as two groups. After "against", the
    # word repeated is "against" ("against a, with b" compared nothing).
    assert with_each(["no treatment or waiting list", "usual care"], "against") == (
        "no treatment or waiting list and against usual care")
    assert with_each(["usual care", "exercise and advice", "TENS"]) == "usual care, with exercise and advice and with TENS"
    assert with_each(["x", "y, z"], "against") == "x and against y, z"
    # A comma inside brackets or quotation marks is no list's, as for join_list; nor is
    # "or" inside a word ("Orthosis", "Mandatory").
    assert with_each(["usual care (pain: pooled, k = 2)", "Orthosis", "Mandatory rest"]) == (
        "usual care (pain: pooled, k = 2), Orthosis and Mandatory rest")


def test_an_inline_list_whose_items_hold_commas_is_separated_by_semicolons() -> None:
    assert join_list([]) == "" and join_list(["a"]) == "a"
    assert join_list(["a", "b"]) == "a and b" and join_list(["a", "b", "c"], "or") == "a, b or c"
    # Chicago 6.60: items holding commas take semicolons, and "; and" before the last.
    assert join_list(["Griswold et al. (2019), authors unverified", "Mahmoudzadeh et al. (2016)"]) == (
        "Griswold et al. (2019), authors unverified; and Mahmoudzadeh et al. (2016)")
    # Of two, a comma in the second follows the "and": no semicolon needed ("(2022); and
    # Rajfur" read as a list cut short).
    assert join_list(["Rajfur et al. (2022)", "Rajfur et al. (2024), authors unverified"]) == (
        "Rajfur et al. (2022) and Rajfur et al. (2024), authors unverified")
    assert join_list(["a", "b, c"], None) == "a; b, c"
    assert join_list(["a", "b, c", "d"], "or") == "a; b, c; or d"
    # A bare series, as a table cell lists arms.
    assert join_list(["a", "b", "c"], None) == "a, b, c"
    assert join_list(["Needling, older adults", "No intervention"], None) == "Needling, older adults; No intervention"
    # Markdown for as_sentences: the semicolons escaped, so that no clause splits there.
    assert join_list(["a, b", "c"], markdown=True) == "a, b\\; and c"
    # A comma inside brackets or double quotation marks, or escaped, is the item's own.
    assert not holds_comma("usual care (pain: pooled, k = 2)")
    assert not holds_comma("of a narrower population (\u201cadults, 18 to 65\u201d)")
    assert not holds_comma("\\(a\\, b")
    assert holds_comma("Kerr et al. (2003), authors unverified") and holds_comma("x [y], z")
    assert join_list(["usual care (pain: pooled, k = 2)", "sham (pain: one study, A)"]) == (
        "usual care (pain: pooled, k = 2) and sham (pain: one study, A)")


def test_the_unnamed_control_reads_with_an_article_mid_sentence() -> None:
    from metareview.fmt import UNNAMED_LABEL

    # "against control not named by the source" lacked an article; the phrase reads as a
    # possessive too ("an unnamed control's side").
    assert in_sentence(UNNAMED_LABEL) == "an unnamed control"
    assert in_sentence(UNNAMED_LABEL, {UNNAMED_LABEL}) == "an unnamed control"
    assert in_sentence("Control group") == "control group"


def test_reason_order_compares_numbers_as_numbers() -> None:
    late = "timepoint {} weeks is outside the window of 1 to 12 weeks"
    reasons = [late.format(104), late.format(52), late.format(8.5), "arm n not reported"]
    assert sorted(reasons, key=reason_order) == ["arm n not reported", late.format(8.5), late.format(52),
                                                 late.format(104)]


def test_join_reasons_says_also_once() -> None:
    assert join_reasons(["R"], ["A", "B", "C"]) == "R; also, A; B; C"
    assert join_reasons(["R", "S"]) == "R; S"
    assert join_reasons([], ["A", "B"]) == "A; B"


@pytest.mark.parametrize("record, words", [
    ({"kind": "baseline"}, "baseline (week 0): measured before treatment, not an effect of it"),
    ({"kind": "not_reported"}, "timepoint not reported"),
    ({"kind": "outside_window", "weeks": [4.0], "window": "medium", "min_weeks": 13.0, "max_weeks": 26.0},
     "timepoint 4 weeks is outside the window of 13 to 26 weeks"),
    ({"kind": "outside_window", "weeks": [26.0, 52.0, 104.0], "window": "short", "min_weeks": 1.0, "max_weeks": 12.0},
     "timepoints 26, 52 and 104 weeks are outside the window of 1 to 12 weeks"),
    # A window without weeks of its own in the config is not given any.
    ({"kind": "outside_window", "weeks": [8.5], "window": "short", "min_weeks": None, "max_weeks": None},
     "timepoint 8.5 weeks is outside the window"),
    ({"kind": "other_window", "labels": ["intermediate term"], "window": "medium"},
     "timepoint given as \u2018intermediate term\u2019, which this review reads as another window"),
    ({"kind": "words_only", "labels": ["after 1 month", "after 3 months"], "named": None},
     ("timepoints given only as \u2018after 1 month\u2019 and \u2018after 3 months\u2019, not in weeks: placed in no window "
      "(fill in timepoint_weeks, or add the words to windows.<w>.terms in the config)")),
    ({"kind": "words_only", "labels": ["week 4"], "named": "week 4"},
     ("timepoint given only as \u2018week 4\u2019, not in weeks: placed in no window (the label names week 4: if that "
      "counts from randomisation, enter the weeks in timepoint_weeks)")),
])
def test_a_timepoint_reason_is_written_from_its_fields(record: dict, words: str) -> None:
    assert timepoint_reason(record) == words


SHORT = {"window": "short_term", "min_weeks": 1.0, "max_weeks": 12.0}
MEDIUM = {"window": "medium_term", "min_weeks": 13.0, "max_weeks": 26.0}


@pytest.mark.parametrize("record, words", [
    # Day 88 is 12.57 weeks: after the window of 1 to 12 weeks, before that of 13 to 26
    # weeks, in neither.
    ({"kind": "outside_window", "weeks": [12.6], "window": "short_term", "min_weeks": 1.0, "max_weeks": 12.0,
      "between": [SHORT, MEDIUM]},
     ("timepoint 12.6 weeks falls between the windows of 1 to 12 and 13 to 26 weeks: placed in no window"
     " (widen one in the config to take it in)")),
    # From the medium term analysis, the same words: the windows, not the analysis's own.
    ({"kind": "outside_window", "weeks": [12.3, 12.6], "window": "medium_term", "min_weeks": 13.0, "max_weeks": 26.0,
      "between": [SHORT, MEDIUM]},
     ("timepoints 12.3 and 12.6 weeks fall between the windows of 1 to 12 and 13 to 26 weeks: placed in no window"
     " (widen one in the config to take it in)")),
    ({"kind": "outside_window", "weeks": [30.0], "window": "long_term", "min_weeks": 39.0, "max_weeks": 52.0,
      "between": [MEDIUM, {"window": "long_term", "min_weeks": 39.0, "max_weeks": 52.0}]},
     ("timepoint 30 weeks falls between the windows of 13 to 26 and 39 to 52 weeks: placed in no window"
     " (widen one in the config to take it in)")),
])
def test_a_timepoint_between_two_windows_is_said_to_be_in_neither(record: dict, words: str) -> None:
    assert timepoint_reason(record) == words


def test_a_timepoint_reason_of_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown timepoint kind 'later'"):
        timepoint_reason({"kind": "later"})


@pytest.mark.parametrize(("label", "expected"), [
    # The year, and what follows it, set off by commas, as a parenthetical citation gives it.
    ("Furlan et al. (2005), Cochrane", "Furlan et al., 2005, Cochrane"),
    ("Hu et al. (2018)", "Hu et al., 2018"),
    ("Cochrane review cited by the blog post (2023, unidentified)",
     "Cochrane review cited by the blog post, 2023, unidentified"),
    ("Molsberger et al. (presumed 2002)", "Molsberger et al., presumed 2002"),
    ("Hegu acupuncture trial (presumed Yun et al. 2012)", "Hegu acupuncture trial, presumed Yun et al. 2012"),
    # More words after the brackets: a comma closes the part; none before a comma there.
    ("Trial (2001) pilot", "Trial, 2001, pilot"),
    ("Trial (2001); extension", "Trial, 2001; extension"),
    # Two bracketed parts in a row: one comma between them, not two.
    ("Furlan et al. (2005) (Cochrane)", "Furlan et al., 2005, Cochrane"),
    ("Trial (2001) (pilot) extension", "Trial, 2001, pilot, extension"),
    # Markdown escapes and labels without brackets are left as they are.
    ("Liu \\& Park (2021)", "Liu \\& Park, 2021"),
    ("Review M", "Review M"),
    # Brackets straight after a word are no citation's: left as they are.
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
])
def test_a_label_inside_brackets_sets_its_own_brackets_off_by_commas(label: str, expected: str) -> None:
    assert in_brackets(label) == expected


@pytest.mark.parametrize(("typed", "printed"), [
    ("Chronic LBP >=6 months, pain >=4/10", "Chronic LBP \u22656 months, pain \u22654/10"),
    ("baseline VAS 64.8 +/- 14.0", "baseline VAS 64.8 \u00b1 14.0"),
    ("age <=65", "age \u226465"),
    ("Elderly (65-81 y)", "Elderly (65\u201381 y)"),
    # Codes and ids keep their hyphens, as in ranges().
    ("SF-36 and GAD-7 >=10", "SF-36 and GAD-7 \u226510"),
    ("LBP (16 RCTs)", "LBP (16 RCTs)"),
])
def test_a_description_prints_its_ascii_signs_as_signs(typed: str, printed: str) -> None:
    from metareview.fmt import description

    assert description(typed) == printed
