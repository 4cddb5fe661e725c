"""Consistency checks on one study's raw rows: numbers that each pass the schema but do not
agree with each other.

The reader (:mod:`metareview.rawdata`) refuses what cannot be right; these checks warn
about what is probably wrong and needs a second look at the source: a reported effect
size that the arms' means and SDs do not reproduce, an interval not centred on its
estimate, more participants in a contrast than in its arms, a spread wider than the
instrument allows, an impossible percentage. A warning never stops the build; the
workflow writes it to the study's job log and the report lists it with its row.

Only the standard library is used: this runs inside each study's normalise job.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from statistics import NormalDist
from typing import Any

from metareview.fmt import join_list, typed
from metareview.normalise import md_ci_quantile, timepoint_key

#: Reported d or g may differ from the value recomputed from arm means and SDs by this
#: much before a warning: ``ABS + REL * |d_recomputed|``. Rounding of printed means and
#: SDs (one decimal on a 0-10 scale moves d by up to ~0.05) and pooled-SD variants
#: (average of variances, control-arm SD) stay inside it; a d from other rows does not.
D_TOLERANCE_ABS = 0.1
D_TOLERANCE_REL = 0.1

#: Largest relative asymmetry of an interval around its estimate on the analysis scale,
#: ``|(ci_ub - yi) - (yi - ci_lb)| / (ci_ub - ci_lb)``, beyond what rounding explains.
CI_ASYMMETRY = 0.10

#: Largest relative difference between two spreads a row gives for one value (an SE and
#: the SE its SD implies; a contrast's SE and the SE its interval implies), beyond what
#: rounding of the printed numbers explains.
SPREAD_TOLERANCE = 0.10

#: A percentage may differ from 100 * events / n by this many points (rounding to
#: whole percents, and the reported denominator not being exactly n).
PERCENT_TOLERANCE = 1.0

#: Arm-level value types that are means on the instrument's scale.
_MEAN_TYPES = ("final", "change", "within_group_change")

_UNITS_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
#: Counts a trial report writes in words, one to twenty-four ("twelve months", "twenty-four
#: weeks", "twenty four weeks"): the longest follow-ups it words are two years.
NUMBER_WORDS = {**{w: i for i, w in enumerate(_UNITS_WORDS, start=1)}, "twenty": 20,
                **{f"twenty{sep}{w}": 20 + i for sep in ("-", " ") for i, w in enumerate(_UNITS_WORDS[:4], start=1)}}
#: A count in digits or in words; the words longest first, so that "twenty-four" is read
#: whole and not as its "four", and "seventeen" not as "seven".
COUNT = r"(\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
#: Words for numbers the check does not read, just before a count: the count is then the
#: end of a larger number ("thirty-six months", "one hundred and four weeks"), not the
#: duration. (Twenty-one to twenty-four are read whole before this is asked.)
_LARGER_NUMBER = re.compile(r"\b(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)"
                            r"(?:[\s-]+and)?[\s-]*$", re.IGNORECASE)
_UNITS = r"(days?|weeks?|wks?|months?|mos?|mths?|years?|yrs?)"
#: "6 months", "6-month", "two-month", "12 wks", "8 wk", "6 mo", "1 yr"; and "week 6", "day 56"
#: (trials count visits in days too: a day-56 follow-up typed as 56 weeks is caught).
_DURATION = re.compile(rf"\b{COUNT}[\s-]*{_UNITS}\b|\b(day|week|month)[\s-]+{COUNT}\b", re.IGNORECASE)
#: Weeks per unit, and how far from ``n`` units the weeks may lie: a month is entered
#: as 4 weeks by some and as 4.35 by others (6 months: 24 or 26), a year as 48 or 52, and
#: weeks are rounded.
_WEEKS_PER = {"day": (1 / 7, 0.0), "week": (1.0, 0.0), "wk": (1.0, 0.0), "month": (4.345, 0.35),
              "mo": (4.345, 0.35), "mth": (4.345, 0.35), "year": (52.18, 4.2), "yr": (52.18, 4.2)}
#: Words before a duration that make it a bound or one end of a range ("<6 weeks", "up to
#: 3 months", "12-24 weeks", "6 to 12 months", "six to twelve months", "at least 6 months"),
#: or the length of a course a count is a part of ("session 3 of 12 weeks"), not the time
#: measured. A place in a course named by its unit ("month 3 of 12") is read as its unit's
#: count, month 3: "of 12" follows the duration and is no duration itself.
_BOUND_BEFORE = re.compile(rf"(?:[<>\u2264\u2265]=?|up to|within|before|over|at least|more than|less than|"
                           rf"(?:\d|\b{COUNT})\s*(?:-|\u2013|to|and|or|of|\u00b1|\+/-))\s*\(?\s*$", re.IGNORECASE)
#: Words after a duration that bound it or end a range ("6 weeks or less", "6 to 12
#: months"), in both readings of a label's durations below.
_BOUNDS_AFTER = r"or (?:less|more|longer)|and|to|-|\u2013|\u00b1|\+/-"
#: Words after it that count from another event ("1 week after intervention"), or bound
#: it ("6 weeks or less"): then the weeks since randomisation differ from it.
_OTHER_AFTER = re.compile(r"^\s*(?:(?:after|post|following)(?![\s-]*(?:the\s+)?(?:randomi[sz]|baseline|enrol|"
                          rf"inclusion))|from the end|{_BOUNDS_AFTER})", re.IGNORECASE)


def timepoint_label_weeks(label: str) -> tuple[str, float, float] | None:
    """The weeks since randomisation a timepoint label names, when it names exactly one.

    Parameters
    ----------
    label
        The timepoint as the source words it (``timepoint_label``).

    Returns
    -------
    tuple or None
        ``(what, low, high)``: the duration as written ("6 months") and the range of week
        numbers consistent with it (a month is 4 to 4.35 weeks). None when the label names
        no duration, more than one ("2 weeks after the end of the 6-week treatment"), a
        bound or a range ("<6 weeks", "12-24 weeks", "one or two years"), a part of a
        course ("session 3 of 12 weeks"), a number it does not read ("thirty-six months"),
        or a time counted from something other than randomisation ("1 week after
        intervention").

    Notes
    -----
    A duration is a count and its unit: "6 months", "12-month", "1-year follow-up", "12
    wk", "3 mo.", or a unit and its count, "week 6", "day 56". A count is digits or a
    number in words from one to twenty-four (:data:`NUMBER_WORDS`: "twelve months",
    "six-week", "twenty-four weeks"). A visit numbered within a course, "month 3 of 12", is
    read as month 3, the time since randomisation when the course starts with it; "of 12"
    names the course's length, not a duration of its own. A larger number in words is not
    read, nor its last word ("thirty-six months" is not "six months").
    """
    found = list(_DURATION.finditer(label))
    if len(found) != 1:
        return None
    m = found[0]
    before = label[: m.start()]
    if _BOUND_BEFORE.search(before) or larger_number_before(before) or _OTHER_AFTER.match(label[m.end():]):
        return None
    number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    n = count_value(number)
    return (m.group(0), *duration_weeks(n, unit))


#: The least and most weeks in one of each unit, as the codebook reads them: a month 4 to
#: 4.35 weeks, a year 48 to 52.18 (docs/review-definition.md), a day a seventh of a week.
_WEEKS_SPAN = {"day": (1 / 7, 1 / 7), "week": (1.0, 1.0), "wk": (1.0, 1.0), "month": (4.0, 4.35),
               "mo": (4.0, 4.35), "mth": (4.0, 4.35), "year": (48.0, 52.18), "yr": (48.0, 52.18)}
#: Words after a duration that make it a bound or one end of a range ("6 weeks or less",
#: "6 to 12 months" read from its first count): then it names no one time.
_BOUND_AFTER = re.compile(rf"^\s*(?:{_BOUNDS_AFTER})", re.IGNORECASE)


def label_weeks_span(label: str) -> tuple[float, float] | None:
    r"""The least and most weeks the durations a timepoint label names add up to.

    A label may give a time as a course and a time after it ("1-month independent
    assessment (after the 8-week course)"): read one after the other, its durations add
    up, each count ``n`` of a unit with ``a`` to ``b`` weeks in one giving

    .. math:: \sum n_i a_i \ \text{to}\ \sum n_i b_i

    weeks, with a month 4 to 4.35 weeks (data/raw/README.md, ``timepoint_label``), so
    8 weeks and 1 month are 12 to 12.35 weeks.

    Parameters
    ----------
    label
        The timepoint as the source words it (``timepoint_label``).

    Returns
    -------
    tuple of float or None
        ``(low, high)``; None when the label names no duration, or a bound or a range
        ("<6 weeks", "12-24 weeks", "6 weeks or less"), or a number it does not read
        ("thirty-six months"). Whether the durations are in fact one after the other is
        not read from the words: a caller compares the sum with the weeks entered
        (:func:`window_edge`).

    Examples
    --------
    >>> label_weeks_span("1-month independent assessment (after the 8-week course)")
    (12.0, 12.35)
    >>> label_weeks_span("6 months")
    (24.0, 26.1)
    >>> label_weeks_span("12-24 weeks") is None
    True
    """
    found = list(_DURATION.finditer(label))
    if not found:
        return None
    low = high = 0.0
    for m in found:
        before = label[: m.start()]
        if _BOUND_BEFORE.search(before) or larger_number_before(before) or _BOUND_AFTER.match(label[m.end():]):
            return None
        number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        n = count_value(number)
        least, most = _WEEKS_SPAN[unit.lower().rstrip("s")]
        low += n * least
        high += n * most
    return round(low, 6), round(high, 6)


def window_edge(label: str | None, weeks: float | None, window: Mapping[str, Any]) -> dict[str, Any] | None:
    """Whether a timepoint entered in a window may, by its own words, lie outside it.

    A time in months is 4 to 4.35 weeks a month: "8-week course plus 1 month" is 12 to
    12.35 weeks, entered as week 12 and so in a window that ends at week 12, though by its
    words it may lie a little after. Such a timepoint is at the window's edge, and its
    effect says so.

    Parameters
    ----------
    label
        The timepoint as the source words it.
    weeks
        The weeks it was entered as (``timepoint_weeks``).
    window
        The window's config entry (``min_weeks``, ``max_weeks``).

    Returns
    -------
    dict or None
        ``side`` (``"upper"`` or ``"lower"``), ``bound`` (weeks), ``low`` and ``high``
        (the weeks its words may stand for, :func:`label_weeks_span`) and ``weeks``; None
        when the words cannot be read, when the weeks entered are not their sum (weeks
        rounded: within half a week of it; "week 8 (after 6 weeks of treatment)" is no sum
        of its durations), or when the words lie wholly on the weeks' side of each bound,
        or pass it by less than a day, the finest unit a timepoint is given in (6 months,
        24 to 26.1 weeks, in a window ending at week 26).
    """
    span = label_weeks_span(label) if label else None
    if span is None or weeks is None:
        return None
    low, high = span
    weeks = float(weeks)
    if not low - 0.5 <= weeks <= high + 0.5:
        return None
    day = 1 / 7
    top, bottom = window.get("max_weeks"), window.get("min_weeks")
    # A bound the words may pass by a day or more, while the weeks entered lie within it.
    if top is not None and weeks <= float(top) and high - float(top) >= day - 1e-9:
        return {"side": "upper", "bound": float(top), "low": low, "high": high, "weeks": weeks}
    if bottom is not None and weeks >= float(bottom) and float(bottom) - low >= day - 1e-9:
        return {"side": "lower", "bound": float(bottom), "low": low, "high": high, "weeks": weeks}
    return None


def larger_number_before(text: str) -> bool:
    """Whether ``text``, the words before a count, ends with a number in words the count
    would be the last word of ("thirty-" before "six months", "one hundred and" before
    "four weeks"): the count is then not the number written."""
    return _LARGER_NUMBER.search(text) is not None


def count_value(count: str) -> float:
    """The number a count of :data:`COUNT` stands for: "12" is 12, "twelve" and
    "Twenty-Four" 12 and 24.

    Parameters
    ----------
    count
        Digits ("1.5") or one of :data:`NUMBER_WORDS`, in any case.

    Returns
    -------
    float
        The number.

    Raises
    ------
    ValueError
        ``count`` is neither.
    """
    word = NUMBER_WORDS.get(count.lower())
    return float(word) if word is not None else float(count)


def duration_weeks(n: float, unit: str) -> tuple[float, float]:
    r"""The range of week numbers consistent with ``n`` days, weeks, months or years.

    A month is entered as 4 weeks by some and as 4.345 (365.25 / 12 / 7) by others, a year
    as 48 or 52.18, and weeks are rounded, so ``n`` units are

    .. math:: n (w - s) - 0.5 \ \text{to}\ n w + 0.5

    weeks, with ``w`` the weeks per unit and ``s`` its slack (:data:`_WEEKS_PER`).

    Parameters
    ----------
    n
        How many units.
    unit
        The unit as written: "months", "mo", "yr", "weeks" (singular or plural, any case).

    Returns
    -------
    tuple of float
        ``(low, high)``: 6 months give 23.47 to 26.57, 1 year 47.48 to 52.68.

    Raises
    ------
    KeyError
        ``unit`` is none of :data:`_WEEKS_PER`'s.
    """
    per, slack = _WEEKS_PER[unit.lower().rstrip("s")]
    return n * (per - slack) - 0.5, n * per + 0.5


def consistency_warnings(bundle: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Warnings about raw numbers of one study that disagree with each other.

    Parameters
    ----------
    bundle
        One study's raw rows as :func:`metareview.rawdata.study_bundle` returns them: the
        rows of ``arms``, ``arm_outcomes`` and ``contrasts`` each carry a stable ``_ref``
        (``contrasts.csv:Study#2``), and ``instruments`` holds the instruments they use.

    Returns
    -------
    list of dict
        One dict per warning, in a fixed order (by check, then by row), each with

        ``check``
            ``d_disagrees_with_arms``, ``ci_not_centred``, ``estimate_outside_ci``,
            ``n_exceeds_total``, ``total_exceeds_randomised``,
            ``percent_disagrees_with_counts``, ``percent_decrease_beyond_all``,
            ``value_not_in_quote``, ``sign_differs_from_quote``, ``mean_quoted_as_spread``,
            ``sd_quoted_as_value``,
            ``sd_quoted_as_se``,
            ``quartiles_quoted_as_range``, ``range_quoted_as_quartiles``, ``label_year``,
            ``values_on_smaller_scale``,
            ``repeated_arm_row``, ``unbalanced_arms``, ``weeks_disagree_with_label``,
            ``weeks_missing_for_label``, ``weeks_unpaired``, ``spread_disagrees``,
            ``change_sign_differs``, ``repeated_contrast`` or ``n_reason_only_in_notes``.
        ``ref``
            The row to look at (``<table>.csv:<study>#<n>``; :func:`locate` or
            :func:`metareview.rawdata.resolve_refs` give its spreadsheet row).
        ``file``
            The table file of that row (``contrasts.csv``).
        ``column``
            The cell to look at.
        ``message``
            What disagrees with what, with both numbers.
        ``related``
            References of the other rows the check used (arm rows for a recomputed d).

    Notes
    -----
    The checks, each on the raw values as reported:

    * **Reported d vs arms** (contrasts with measure ``cohen_d`` or ``SMD``): d is
      recomputed from the same study's arm rows for ``arm1`` and ``arm2`` at the same
      outcome, instrument and ``timepoint_weeks``, both ``final`` or both ``change``
      (the contrast's ``value_type``; either when it is ``unknown``), as
      ``d = (m1 - m2) / s_p`` with ``s_p = sqrt(((n1 - 1) s1^2 + (n2 - 1) s2^2) /
      (n1 + n2 - 2))`` (Cohen 1988), or ``sqrt((s1^2 + s2^2) / 2)`` when arm sizes are
      unknown; an SD missing but SE and n given is ``se * sqrt(n)``. For ``SMD`` (Hedges'
      g) d is multiplied by ``J = 1 - 3 / (4 (n1 + n2) - 9)`` (Hedges 1981). The reported
      value is put on the same orientation from ``sign_convention`` (``arm1_minus_arm2``,
      ``arm2_minus_arm1``, ``positive_favours_arm1/2`` with the instrument's direction and
      the change scores' ``change_sign``); for other conventions only magnitudes are
      compared. A warning when ``|d_reported - d| > 0.1 + 0.1 |d|`` for every pair of
      arm rows that could have produced it.
    * **CI not centred** (contrasts with an estimate and both bounds, and arm-level means
      with a CI): on the analysis scale (log for ``RR`` and ``OR``, identity otherwise),
      an estimate outside its interval, or a relative asymmetry
      ``|(ub - yi) - (yi - lb)| / (ub - lb)`` above 10 % plus the part that rounding of
      the printed numbers can explain (half a unit in their last printed decimal, taken
      from the most precise of the three, for each of them).
    * **Participants**: a contrast's ``n1 + n2``, or the arm rows' ``n`` for its two arms
      at its instrument and timepoint, above its ``n_total``; a contrast's ``n_total``
      above the two arms' ``n_randomised`` (more analysed than randomised). Randomised
      arms summing past ``n_total`` is *not* flagged: an analysed total below the
      randomised one is ordinary attrition.
    * **Percentages**: a ``percent`` that differs from ``100 * events / n`` by more than
      one point; a mean decrease of more than 100 % on an instrument whose range is not
      known (with a known minimum of 0 or more it is refused).

    * **The quote**: a value cell of an arm row or a contrast (:data:`QUOTED_COLUMNS`)
      that is none of the numbers its ``quote`` prints (:func:`quote_numbers`), as a
      magnitude: a value read from elsewhere than the words quoted,
      or edited since (an SD changed from 2.0 to 2.6 with the quote left at "(2.0)").
      A printed percentage counts as a proportion only for a risk difference, so that a
      responder rate of 47.6% typed as 0.476 is warned about, the percentage named; so
      is an ``i2`` (not otherwise asked of the quote) that is the quote's "I² = 90%" as
      a proportion.
    * **The quote's sign** (:func:`quote_signs`): a value cell the quote prints, as a
      magnitude, with a sign the quote does not give it: positive where every place the
      quote prints the number carries an unambiguous minus (``−``, U+2212, or ``-`` after
      the start, a space, ``(``, ``[``, ``,``, ``;``, ``:`` or ``=``, never after a digit,
      where it may join a range: "0.25-0.02"); or negative where no place can carry a
      minus (no dash of any kind before it) while the quote signs another number with
      one, so that a decrease the quote puts in words ("10.26 points lower") is not
      asked about. Rows whose ``sign_convention`` is ``positive_favours_arm1`` or
      ``positive_favours_arm2`` are not checked: their sign says which arm a value
      favours (an unsigned d, a reversed scale), not how the source printed it. A bound
      typed without its minus moves an interval across zero and may turn a conclusion.

    * **Mean or SD**: an arm row's ``mean`` that its quote prints only as the spread of
      another number, in brackets or after ``±`` ("32.5 (18.4)", "32.5 ± 18.4"), and never
      as a value with a spread of its own (:data:`QUOTED_PAIR`): the SD typed in the mean
      column, alone or swapped with the mean. Both numbers are in the quote, so the check
      of quoted values passes it, and a swapped pair gives an effect of the wrong size,
      even the wrong side.
    * **SD or SE**: an arm row's ``sd`` whose quote names standard errors ("mean (SE)",
      "SE", "SEM", "standard error") and no standard deviation ("SD", "standard
      deviation"): an SE typed as the SD, which makes the effect's variance about n times
      too small (:data:`SE_WORDS`, :data:`SD_WORDS`).
    * **Scale**: on an instrument whose range (``scale_max - scale_min``) is at least
      :data:`SMALLER_SCALE_MIN_RANGE`, every final mean a study gives at one timepoint,
      and every SD it gives with them, within the bottom :data:`SMALLER_SCALE_FRACTION`
      of the range (0 to 10 on a 0-100 scale): values read on a ten-times smaller scale
      (a 0-10 VAS entered on a 0-100 instrument row). Final means are asked of the bottom
      tenth together in every arm, and SDs with them, because a whole trial's scores so
      low on a 0-100 scale are rare; changes are not checked, small changes being common.
      An instrument in natural units (``unit``: days, kg) is not checked, its range
      being no scale.
    * **Two spreads of one value**: an arm row's ``se`` that is not ``sd / sqrt(n)`` (n
      the row's, else the arm's ``n_analysed`` or ``n_randomised``), and a contrast's
      ``se`` that is not its interval's ``(ci_ub - ci_lb) / (2 z)`` (MD, SMD, d and RD;
      the interval of an RR or OR is on another scale than an SE may be), each beyond
      :data:`SPREAD_TOLERANCE` plus what rounding of the printed numbers explains. Only
      one of the two is used (the SD, the interval): the other was typed in the wrong
      row or column, or is another group's.
    * **Signs of changes**: two arms' change rows (``change`` or ``percent_change``) at one
      outcome, instrument and timepoint whose ``change_sign`` differs: a source signs the
      changes of its arms alike, and a row signed otherwise turns the difference of the
      two changes into their sum.
    * **Arm sizes**: one arm's ``n`` more than :data:`UNBALANCED_ARMS` times another's at
      the same outcome, instrument, timepoint and value type (a digit typed too many where
      ``arms.csv`` gives no randomised size to refuse it against).
    * **One row per arm**: two arm rows of one arm, outcome, instrument, timepoint and value
      type (a row copied for the other arm with its ``arm_id`` left unchanged): the effect
      cannot choose between them. Rows identical in every cell are refused by
      :func:`metareview.rawdata.read_raw`. Likewise two contrasts of one arm pair (in
      either order), outcome, instrument, timepoint, measure and value type: an analysis
      uses one of them, and the other's numbers would go unseen.
    * **Timepoints**: ``timepoint_weeks`` outside the weeks its ``timepoint_label`` names,
      when the label names one duration since randomisation
      (:func:`timepoint_label_weeks`): a 6-month follow-up typed as 6 weeks lands in
      another window and may replace the effect nearest the window's target. And an arm
      row with ``timepoint_weeks`` empty whose ``timepoint_label`` (its words, case and
      punctuation aside) another arm's row of the same outcome, instrument and value type
      gives with weeks: the weeks left out of
      one arm's row, which then pairs with no other arm's and may take the study out of
      an analysis. Weeks are never read from a label (a label places a row only through
      a window's ``terms``), so the warning asks for them to be typed. And an arm row
      whose weeks no other arm's row of the same outcome, instrument and value type gives,
      when the other arms give weeks this arm does not (one arm's weeks mistyped, "8" for
      "6"): it pairs with no other arm's row. An arm followed up at one more timepoint than
      the others is not asked about.

    * **Why a size is blank**: a row of ``arms.csv``, ``arm_outcomes.csv`` or
      ``contrasts.csv`` without its size (an arm's ``n_randomised`` and ``n_analysed``,
      an arm row's ``n``, a contrast's ``n1`` or ``n2``) whose notes say the source gives
      none (:data:`N_NOT_REPORTED_WORDS`: "per-arm n not reported", "arm sizes not
      given") while its ``n_missing_reason`` is empty: the report then says the size is
      not in the raw tables. The cell decides the wording, never the notes; the words
      only ask for it to be set.

    Values that cannot be at all are not warnings but errors of the raw data, refused by
    :func:`metareview.rawdata.read_raw` before any check runs: an arm's ``n`` above the
    participants randomised to it; a final mean outside the instrument's range, a mean
    change or difference larger than it, an SD above what the range allows
    (:func:`metareview.rawdata.sd_limit`); a decrease of more than 100 % on a scale that
    starts at 0 or above.
    """
    checker = _Checker(bundle)
    warnings: list[dict[str, Any]] = []
    for check in (checker.reported_d, checker.ci_centred, checker.participants, checker.percentages,
                  checker.timepoints, checker.weeks_missing, checker.quoted_values, checker.quoted_signs,
                  checker.mean_quoted_as_spread,
                  checker.sd_quoted_as_value, checker.sd_quoted_as_se, checker.spread_of_median, checker.label_year,
                  checker.smaller_scale, checker.repeated_arm_rows, checker.unbalanced_arms,
                  checker.spreads, checker.change_signs, checker.repeated_contrasts, checker.weeks_unpaired,
                  checker.n_reason_only_in_notes):
        warnings.extend(check())
    return warnings


def repeated_results(studies: Sequence[Mapping[str, Any]]) -> list[list[tuple[str, str]]]:
    """Published or reported results that two studies print with the same estimate and
    the same confidence bounds: groups of (study label, row ref), one per study.

    Three numbers alike to the printed digit in two reviews happens (Yuan 2015 and a 2020
    review both give SMD −0.47, −0.77 to −0.17), but so does a row filled in from the
    wrong source or one review repeating another's result: each is worth a look at the
    sources. Only results with both bounds count; the study's own rows are not compared
    with each other (one review may print one result twice).

    ``studies`` are normalised documents (:func:`metareview.normalise.normalise_study`).
    """
    seen: dict[tuple[Any, ...], dict[str, tuple[str, str]]] = {}
    for doc in studies:
        for c in doc.get("contrasts", []):
            rep = c.get("reported") or {}
            estimate, ci_lb, ci_ub = rep.get("estimate"), rep.get("ci_lb"), rep.get("ci_ub")
            if estimate is None or ci_lb is None or ci_ub is None:
                continue
            key = (c["measure"], *(round(float(v), 6) for v in (estimate, ci_lb, ci_ub)))
            seen.setdefault(key, {}).setdefault(doc["study"]["study_id"], (doc["study"]["label"], c["ref"]))
    return [list(group.values()) for key, group in sorted(seen.items(), key=lambda kv: str(kv[0]))
            if len(group) > 1]


def alike_groups(studies: Sequence[Mapping[str, Any]], refs: Mapping[str, Iterable[str]],
                 repeated: Sequence[Sequence[tuple[str, str]]] | None = None) -> dict[str, list[str]]:
    """The studies of ``refs`` (study id: the refs of the results a tally counts, in the
    tally's order) that print a result alike with another of them
    (:func:`repeated_results`), grouped: {the first of each group: the others}.

    Two reviews that print one result alike give one finding, whether one repeats the
    other or both pool the same trials: counted as two, a tally reads as two independent
    confirmations (Pollock et al., Cochrane Handbook v6, chapter V, on overlap between
    reviews in an overview). Studies are linked transitively: A alike with B and B with C
    are one group. The report's tallies and the claims' counts group them alike.

    >>> docs = [{"study": {"study_id": s, "label": s}, "contrasts": [
    ...     {"ref": f"{s}1", "measure": "SMD", "reported": {"estimate": e, "ci_lb": -0.8, "ci_ub": -0.2}}]}
    ...     for s, e in (("A", -0.5), ("B", -0.5), ("C", -0.3))]
    >>> alike_groups(docs, {"B": ["B1"], "A": ["A1"], "C": ["C1"]})
    {'B': ['A']}

    ``repeated`` is ``repeated_results(studies)`` where the caller has it already: the
    report asks once per analysis and review tally, and a review of a thousand analyses
    would otherwise compare every published result tens of thousands of times.
    """
    if repeated is None:
        repeated = repeated_results(studies)
    group_of = {ref: i for i, group in enumerate(repeated) for _, ref in group}
    linked = {sid: {group_of[r] for r in rs if r in group_of} for sid, rs in refs.items()}
    out: dict[str, list[str]] = {}
    done: set[str] = set()
    for sid in refs:
        if sid in done or not linked[sid]:
            continue
        # Grow the group until no other study shares a result with it.
        group, shared, grown = [sid], set(linked[sid]), True
        while grown:
            grown = False
            for other in refs:
                if other not in group and linked[other] & shared:
                    group.append(other)
                    shared |= linked[other]
                    grown = True
        done.update(group)
        if len(group) > 1:
            out[sid] = group[1:]
    return out


def _typed_values(row: Mapping[str, Any]) -> dict[str, Any]:
    """The numbers a normalised arm row was typed with: its ``raw`` cells (n, means, SDs,
    quartiles...) and, for a binary outcome, its ``events`` and ``percent``, which
    ``raw`` does not hold."""
    return {**(row.get("raw") or {}),
            **{k: row[k] for k in ("events", "percent") if row.get(k) is not None}}


def repeated_arm_values(studies: Sequence[Mapping[str, Any]]) -> list[list[tuple[str, str]]]:
    """Arm-level results that two studies give alike: groups of (study label, first row
    ref), one per study.

    One trial entered twice (under two ids by two team members, or once from each of two
    reports of it) counts twice in every analysis it enters, halving the width its
    results deserve. Two different trials are most unlikely to give every arm the same
    numbers (n, mean and SD, median and quartiles, or events or percentage, as typed) on
    one instrument at one timepoint, so such a set of two or more arms is compared across
    studies; a single arm alike, which happens, is not. A binary arm's events and
    percentage are compared with its n: trials of the same size are common, and two arms
    of 150 each are not the same result when their counts differ.

    ``studies`` are normalised documents (:func:`metareview.normalise.normalise_study`).
    """
    seen: dict[tuple[Any, ...], dict[str, tuple[str, str]]] = {}
    for doc in studies:
        groups: dict[tuple[Any, ...], list[Mapping[str, Any]]] = {}
        for v in doc.get("arm_values", []):
            groups.setdefault((v.get("outcome"), v.get("instrument"), v.get("timepoint_weeks"),
                               v.get("timepoint_label") if v.get("timepoint_weeks") is None else None,
                               v.get("value_type")), []).append(v)
        for where, rows in groups.items():
            if len({r.get("arm_id") for r in rows}) < 2:
                continue
            cells = tuple(sorted(tuple(sorted((k, float(x)) for k, x in _typed_values(r).items()
                                              if isinstance(x, int | float) and not isinstance(x, bool)))
                                 for r in rows))
            if not any(cells):
                continue
            seen.setdefault((*where, cells), {}).setdefault(doc["study"]["study_id"],
                                                            (doc["study"]["label"], rows[0]["ref"]))
    # One warning per set of studies, at the first timepoint they share: a trial entered
    # twice repeats every one of its timepoints.
    by_studies: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for _, group in sorted(seen.items(), key=lambda kv: (kv[0][2] is None, kv[0][2] or 0.0, str(kv[0]))):
        if len(group) > 1:
            by_studies.setdefault(tuple(sorted(group)), list(group.values()))
    return list(by_studies.values())


def uncited_sources(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Warnings (shaped as :func:`consistency_warnings`'s) for each row of ``sources.csv``
    that no row of another table cites in its ``source_id``.

    A document listed and cited by nothing is a source whose rows were never entered (or
    entered under another source), or one no longer needed; either way the report's list
    of sources would name a document it uses nowhere. Its ``ref`` is
    ``sources.csv:<source_id>``, stable as rows are added above it.

    ``tables`` are the raw tables as rows of values (``RawData.tables``' values).
    """
    cited = {r.get("source_id") for table, rows in tables.items() if table != "sources" for r in rows}
    return [{"check": "uncited_source", "ref": f"sources.csv:{r['source_id']}", "file": "sources.csv",
             "column": "source_id", "related": [],
             "message": (f"expected a document that a row of another table cites (a study's, a result's, a "
                         f"statement's, a claim's or a judgement's source_id), found '{r['source_id']}' cited by "
                         "none: rows still to be entered from it, or a document no longer needed?")}
            for r in tables.get("sources", []) if r.get("source_id") not in cited]


#: Words that say an arm imitates a treatment rather than gives it: a sham or control
#: arm's description with one of them names an active treatment as what is imitated
#: ("Minimal acupuncture", "Sham dry needling", "acupuncture with non-penetrating needles").
SHAM_WORDS = re.compile(
    r"\b(?:sham|minimal|placebo|superficial|non-?penetrating|mock|simulated|fake|imitation|inactive|"
    r"inert|detuned|switched off|turned off|retractable|blunt|streitberger|pseudo|dummy|attention[\s-]control|"
    r"non-?(?:acupuncture|trigger|indicated|meridian)[\s-]points?|non-?acupoints?|off-?points?|off-?target)\b",
    re.IGNORECASE)

#: A word that denies what its clause names after it: "no acupuncture", "No-acupuncture
#: control", "without acupuncture or dry needling", "acupuncture deferred".
_DENIED = re.compile(r"\b(?:no|not|non|without|nil|never|deferred|delayed)\b", re.IGNORECASE)


def _denied(text: str, start: int) -> bool:
    """Whether the clause of ``text`` around ``start`` (between brackets, semicolons,
    colons or full stops) holds a word that denies (:data:`_DENIED`)."""
    before = re.split(r"[;:.()\[\]]", text[:start])[-1]
    after = re.split(r"[;:.()\[\]]", text[start:])[0]
    return bool(_DENIED.search(before) or _DENIED.search(after))


def _named_at(text: str, label: str) -> list[re.Match[str]]:
    """Where ``label`` stands in ``text`` as whole words, letter case aside ('acupuncture'
    in 'Manual acupuncture at...', not in 'electroacupuncture')."""
    words = r"[\s_-]+".join(re.escape(w) for w in re.split(r"[\s_-]+", label.strip()) if w)
    return list(re.finditer(rf"(?<![\w-]){words}(?![\w-])", text, re.IGNORECASE)) if words else []


def _plain_label(label: str) -> str:
    """A treatment's label without what it says in brackets: 'Other treatments (mixed)'
    is named in a description as 'Other treatments'."""
    return re.sub(r"\s*\([^)]*\)", "", label).strip()


def sham_arms_named_active(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Warnings (shaped as :func:`consistency_warnings`'s) for each arm whose treatment's
    role is ``sham`` or ``control`` but whose description names an active treatment of
    the review, with no word of a sham (:data:`SHAM_WORDS`).

    An arm of "Manual acupuncture at traditional points" coded ``minimal_acupuncture`` (a
    sham, offered for a mistyped ``manual_acupuncture``) made a trial of dry needling
    against acupuncture one against sham, and every check passed: the code, not the
    description, places an arm in its node. The check reads the description (``arms.csv``
    column ``description``) for the label of each treatment of ``treatments.csv`` whose
    role is ``active``, and for its code written with spaces ('dry needling'), as whole
    words. It keeps quiet, lest a genuine sham or control arm be warned about, where the
    description

    * has a word of a sham (:data:`SHAM_WORDS`: "sham", "minimal", "placebo",
      "superficial", "non-penetrating", "mock", "simulated", "non-acupuncture points",
      "attention control", ...);
    * denies the treatment it names in its clause ("no acupuncture", "No-acupuncture
      control", "without acupuncture or dry needling", "acupuncture deferred");
    * names the arm's own treatment by its label ("Usual care (... back exercise)",
      "Guideline-based conventional therapy (drugs, physical therapy, exercise)"): what
      else it names is part of that care.

    Each warning's ``ref`` is the arm's row (``arms.csv:<study>#<n>``, as
    :func:`metareview.rawdata.row_ref` numbers a study's rows), its column
    ``treatment``. ``tables`` are the raw tables as rows of values (``RawData.tables``'
    values); without ``arms`` or ``treatments`` there is nothing to check.
    """
    treatments = {str(t.get("treatment")): t for t in tables.get("treatments", [])}
    active = {code: [_plain_label(str(t.get("label") or "")), code.replace("_", " ")]
              for code, t in treatments.items() if t.get("role") == "active"}
    out = []
    ordinals: Counter[str] = Counter()
    for arm in tables.get("arms", []):
        ordinals[str(arm.get("study_id"))] += 1
        own = treatments.get(str(arm.get("treatment")))
        text = str(arm.get("description") or "")
        if own is None or own.get("role") not in ("sham", "control") or not text or SHAM_WORDS.search(text):
            continue
        if _named_at(text, _plain_label(str(own.get("label") or ""))) or _named_at(text, str(own["treatment"])):
            continue
        named = [code for code, labels in active.items()
                 if any(not _denied(text, m.start()) for label in labels for m in _named_at(text, label))]
        # The longest name it matches, lest 'acupuncture' be said for 'auricular acupuncture'.
        named = [c for c in named if not any(c != o and any(_named_at(longer, lab) for longer in active[o]
                                                            for lab in active[c]) for o in named)]
        if not named:
            continue
        row = {"_ref": f"arms.csv:{arm.get('study_id')}#{ordinals[str(arm.get('study_id'))]}"}
        what = join_list([f"'{c}' ({treatments[c].get('label')})" for c in sorted(named)], "or")
        role = str(own.get("role"))
        out.append(_warning(
            "sham_arm_names_active", row, "treatment",
            f"expected the description of an arm coded '{own['treatment']}' ({own.get('label')}, a {role}) to say "
            f"it is one, found '{text}', which names the active {what} and neither a sham word nor "
            f"'{_plain_label(str(own.get('label') or ''))}': if the arm had that treatment, give it its code; if it "
            f"is a {role}, say so in its description"))
    return out


def arms_in_no_node(tables: Mapping[str, Sequence[Mapping[str, Any]]],
                    nodes: Mapping[str, Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """Warnings (shaped as :func:`consistency_warnings`'s) for each arm with numbers in
    ``arm_outcomes.csv`` whose treatment no node of the config includes (no
    ``nodes.<node>.treatments`` lists its code).

    A trial's third arm coded with a new treatment (``electrical_dry_needling``), its row
    added to ``treatments.csv`` and its results to ``arm_outcomes.csv``, entered no
    analysis and nothing said so: a node groups the codes an analysis compares, and a code
    in none is left out without a word. Only arms with arm-level results are asked about:
    an arm that only a published review's contrast or a statement names (a review's
    mixed controls) gives no numbers an analysis could pool, and the report's methods
    list every treatment no node includes. A control the sources do not name (role
    ``unnamed``) is a node of its own study and is not asked about.

    Each warning's ``ref`` is the arm's row (``arms.csv:<study>#<n>``, as
    :func:`metareview.rawdata.row_ref` numbers a study's rows), its column ``treatment``.
    ``tables`` are the raw tables as rows of values; ``nodes`` the config's ``nodes``
    (None or empty: nothing is checked, the review having no nodes to read).
    """
    if not nodes:
        return []
    grouped = {str(code) for node in nodes.values() for code in (node.get("treatments") or ())}
    roles = {str(t.get("treatment")): t.get("role") for t in tables.get("treatments", [])}
    results = Counter((str(r.get("study_id")), str(r.get("arm_id"))) for r in tables.get("arm_outcomes", []))
    out = []
    ordinals: Counter[str] = Counter()
    for arm in tables.get("arms", []):
        study = str(arm.get("study_id"))
        ordinals[study] += 1
        code, arm_id = str(arm.get("treatment")), str(arm.get("arm_id"))
        if code in grouped or roles.get(code) == "unnamed" or not results[(study, arm_id)]:
            continue
        n = results[(study, arm_id)]
        rows = f"{n} row{'s' if n != 1 else ''} of arm_outcomes.csv"
        out.append(_warning(
            "arm_in_no_node", {"_ref": f"arms.csv:{study}#{ordinals[study]}"}, "treatment",
            f"expected the treatment of arm '{arm_id}' to be in a node of the config, found '{code}' in none: "
            f"the arm and its {rows} enter no analysis. To include it, add '{code}' to a node's treatments "
            "(the config's nodes.<node>.treatments), or give it a node of its own and an analysis "
            "that compares it"))
    return out


#: The tables whose rows belong to no study, each with the column that names a row: a
#: warning about such a row refers to it as ``<table>.csv:<key>`` (``sources.csv:furlan2005``).
KEYED_TABLES: dict[str, str] = {"sources": "source_id", "treatments": "treatment", "instruments": "instrument",
                                "claims": "claim_id"}

#: The study tables whose rows a reference numbers within their study (``arms.csv:Kim2019#2``),
#: as :func:`metareview.rawdata.row_ref` does.
_STUDY_ROW_TABLES = ("arms", "arm_outcomes", "contrasts", "statements", "risk_of_bias")


def table_row_refs(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[tuple[str, Mapping[str, Any]]]:
    """``(reference, row)`` of every row of the raw tables that has one: a study's own row
    (``studies.csv:<study>#1``), a study table's row numbered within its study
    (``contrasts.csv:<study>#<n>``, :func:`metareview.rawdata.row_ref`), and a row of a
    table of :data:`KEYED_TABLES` by its key (``sources.csv:<source_id>``)."""
    out: list[tuple[str, Mapping[str, Any]]] = []
    for table, rows in tables.items():
        ordinals: Counter[str] = Counter()
        for row in rows:
            if table == "studies":
                out.append((f"studies.csv:{row.get('study_id')}#1", row))
            elif table in _STUDY_ROW_TABLES:
                ordinals[str(row.get("study_id"))] += 1
                out.append((f"{table}.csv:{row.get('study_id')}#{ordinals[str(row.get('study_id'))]}", row))
            elif table in KEYED_TABLES:
                out.append((f"{table}.csv:{row.get(KEYED_TABLES[table])}", row))
    return out


#: The cells that say what a row of a study table is about, in the order a row's identity
#: (:func:`row_identities`) names them: an arm by its id, a result by its arms, outcome,
#: instrument, timepoint, value type and measure, a judgement by its tool and domain. Not
#: its numbers nor its notes: those are what a warning is about, and what a team edits.
ROW_IDENTITY: dict[str, tuple[str, ...]] = {
    "arms": ("arm_id",),
    "arm_outcomes": ("arm_id", "outcome", "instrument", "timepoint_weeks", "timepoint_label", "value_type"),
    "contrasts": ("arm1", "arm2", "outcome", "instrument", "timepoint_weeks", "timepoint_label", "value_type",
                  "measure"),
    "statements": ("arm1", "arm2", "outcome", "timepoint_label"),
    "risk_of_bias": ("tool", "domain"),
}


def _identity_cell(value: Any) -> str:
    """A cell as a row's identity names it: a number as typed without its trailing zeros
    ("8" for 8 and 8.0, which JSON may give either way), an empty cell as nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return typed(float(value)) if math.isfinite(float(value)) else str(value)
    return " ".join(str(value).split())


def row_identities(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, str]:
    """Each study table row's reference (``contrasts.csv:Furlan2005#2``, as
    :func:`table_row_refs` and :func:`metareview.rawdata.row_ref` number a study's rows)
    mapped to what the row is about, whatever its place:
    ``contrasts.csv:Furlan2005(sham; acu; pain; VAS_0_10; 12; ; final; SMD)``, the cells of
    :data:`ROW_IDENTITY` of its table.

    A reference counts the study's rows from the top of the file: rows sorted otherwise,
    or one inserted above another of the same study, give the same row another
    reference, and a warning keyed by it read as new (:func:`stable_warning_key`). Rows of
    one study alike in every identifying cell (two contrasts of one comparison from two
    documents) are told apart by their order among those rows alone (``...#2`` for the
    second), so that each identity names one row. A study's own row and the rows of
    :data:`KEYED_TABLES` are named by their key already and are not listed.
    """
    out: dict[str, str] = {}
    for table, rows in tables.items():
        columns = ROW_IDENTITY.get(table)
        if columns is None:
            continue
        ordinals: Counter[str] = Counter()
        alike: Counter[str] = Counter()
        for row in rows:
            study = str(row.get("study_id"))
            ordinals[study] += 1
            # Counted on the text itself: two rows whose cells differ but read alike
            # (a label with "; " in it) still get two identities.
            identity = f"{table}.csv:{study}({'; '.join(_identity_cell(row.get(c)) for c in columns)})"
            alike[identity] += 1
            out[f"{table}.csv:{study}#{ordinals[study]}"] = (
                identity if alike[identity] == 1 else f"{identity}#{alike[identity]}")
    return out


#: A reference to a study table's row by its place (:func:`metareview.rawdata.row_ref`),
#: in a warning's key; a study id holds letters, digits, '_' and '-' only.
_PLACED_REF = re.compile(rf"\b(?:{'|'.join(_STUDY_ROW_TABLES)})\.csv:[A-Za-z0-9_-]+#[0-9]+\b")


def stable_warning_key(key: str, identities: Mapping[str, str]) -> str:
    """A warning's key (:func:`warning_key`, or a key naming several rows) with each row
    it names by place named by what the row is (:func:`row_identities`): the key the key
    results keep from one build to the next, so that rows re-sorted, or a row inserted
    above another of its study, neither raise an old warning as new nor settle it.

    The check and the column stay in the key, so that two checks of one row, or one
    check of two of its cells, are two warnings. A reference ``identities`` lacks is left
    as it is; a key already in this form has none to replace.
    """
    return _PLACED_REF.sub(lambda m: identities.get(m.group(), m.group()), key)


def placed_warning_keys(keys: Iterable[str]) -> bool:
    """Whether any of ``keys`` names a row by its place (a build from before
    :func:`stable_warning_key`), which only that build's own rows can translate."""
    return any(_PLACED_REF.search(key) for key in keys)


#: A character that a save in a legacy encoding could not hold, as the spreadsheet wrote
#: it: a replacement character, two question marks or more (a Chinese title), a question
#: mark before a digit (a minus sign '−' or '≥'), or one between two letters (a letter
#: outside the encoding).
_LOST = re.compile(r"\ufffd+|\?{2,}|\?(?=\d)|(?<=[^\W\d_])\?(?=[^\W\d_])")

#: Columns of addresses, whose question marks begin a query (``?id=7105``), and the
#: team's own notes, where "unclear??" is the team's, not a lost character.
_ADDRESS_COLUMNS = frozenset({"url", "doi_or_pmid", "notes"})


def _lost_at(text: str) -> list[re.Match[str]]:
    """Where :data:`_LOST` matches ``text``, but not within a web address a note quotes."""
    found = []
    for m in _LOST.finditer(text):
        word = re.split(r"\s", text[: m.start()])[-1]
        if "://" not in word and not word.lower().startswith("www."):
            found.append(m)
    return found


def lost_characters(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Warnings (shaped as :func:`consistency_warnings`'s) for each text cell of the raw
    tables that holds a character its file seems to have lost: a replacement character
    (U+FFFD), or a question mark where text has none (two or more together, one before a
    digit, one between two letters; a web address's query and the team's notes aside).

    A spreadsheet that saves a table as "CSV" in Windows-1252 or Latin-1 writes '?' for
    each character the encoding lacks: the minus sign of a quote's "−3.8 ± 1.2", the "≥"
    of "≥ 50 adults", a Chinese title. The reader refuses such a file until it is saved
    as UTF-8, but the question marks stay, and nothing else notices: a quote's check reads
    "?3.8" as 3.8, which its value -3.8 matches by size. Each warning's ``ref`` is the
    row's (:func:`table_row_refs`), its column the cell's.

    ``tables`` are the raw tables as rows of values (``RawData.tables``' values).
    """
    out = []
    for ref, row in table_row_refs(tables):
        for column, value in row.items():
            if column in _ADDRESS_COLUMNS or not isinstance(value, str):
                continue
            found = _lost_at(value)
            if not found:
                continue
            m = found[0]
            start, end = max(0, m.start() - 25), min(len(value), m.end() + 25)
            shown = ("..." if start else "") + value[start:end] + ("..." if end < len(value) else "")
            what = ("'\ufffd' (a replacement character)" if "\ufffd" in m.group() else f"'{m.group()}'")
            more = f" ({len(found)} places in the cell)" if len(found) > 1 else ""
            out.append(_warning(
                "lost_character", {"_ref": ref}, column,
                f"expected the source's characters, found {what} in \"{shown}\"{more}: a character lost when the "
                "file was saved in a legacy encoding (Windows-1252 and Latin-1 write '?' for '\u2212', '\u2265', "
                "'\u2264', a Greek or a Chinese letter), which saving it as UTF-8 again does not restore: type it "
                "again from the source"))
    return out


_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"

#: A text cell a spreadsheet read as a date or a number and saved in its own form: a
#: timepoint "week 8" or "1-8" saved as "08-Jan", "2024-01-08" or "1/8/2024"; a PMID or
#: long id in scientific notation, its digits past the fourth lost.
_SPREADSHEET_DATE = re.compile(rf"^(?:\d{{1,2}}-(?:{_MONTHS})(?:-\d{{2,4}})?|(?:{_MONTHS})-\d{{2}}"
                               r"|\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}/\d{1,2}/\d{2,4})$",
                               re.IGNORECASE)
_SCIENTIFIC = re.compile(r"^[+-]?\d(?:[.,]\d+)?E[+-]?\d+$", re.IGNORECASE)

#: The text columns a spreadsheet turns into a date or a number, with what they hold: a
#: timepoint's words, a document's identifier.
_CONVERTED_COLUMNS = {"timepoint_label": ("the timepoint as the source words it", _SPREADSHEET_DATE),
                      "doi_or_pmid": ("the DOI or PMID as the source gives it", _SCIENTIFIC)}


def spreadsheet_conversions(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Warnings (shaped as :func:`consistency_warnings`'s) for each text cell that holds
    what a spreadsheet writes for text it took for a date or a number: a timepoint label
    saved as a date ("08-Jan" for "week 8" or "1-8"), a PMID in scientific notation
    ("3.33E+07", its digits lost). Such a cell is valid text, so nothing else notices:
    the report prints "08-Jan" as the trial's timepoint. Each warning's ``ref`` is the
    row's (:func:`table_row_refs`).
    """
    out = []
    for ref, row in table_row_refs(tables):
        for column, (what, shape) in _CONVERTED_COLUMNS.items():
            value = row.get(column)
            if isinstance(value, str) and shape.match(value.strip()):
                kind = "a number in scientific notation" if shape is _SCIENTIFIC else "a date"
                out.append(_warning(
                    "spreadsheet_conversion", {"_ref": ref}, column,
                    f"expected {what}, found '{value}', {kind} as a spreadsheet writes what it took for one: type "
                    "it again from the source, in a column formatted as text"))
    return out


def warning_key(warning: Mapping[str, Any]) -> str:
    """The name of a warning within one build: its check, row reference and column
    (``"sd_range contrasts.csv:Smith2010#2 sd"``), not its spreadsheet row nor its
    message, so that a row added for another study, or the number in the cell, does not
    make it another warning. From one build to the next it is kept with the row named by
    what it is (:func:`stable_warning_key`; the key results' ``warnings``,
    :func:`warnings_note`): the reference counts the study's rows from the top."""
    return f"{warning['check']} {warning['ref']} {warning.get('column')}"


def table_warnings(bundles: Mapping[str, Mapping[str, Any]],
                   tables: Mapping[str, Sequence[Mapping[str, Any]]],
                   nodes: Mapping[str, Mapping[str, Any]] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """``(study label, warning)`` for every check that reads the raw tables alone: each
    study's :func:`consistency_warnings` (on its bundle, :func:`metareview.rawdata.study_bundles`)
    and the arms coded as shams that name an active treatment
    (:func:`sham_arms_named_active`), and, given the config's ``nodes``, the arms with
    results whose treatment is in no node (:func:`arms_in_no_node`), by study.

    These are the warnings a dry run can give before anything is built: the others
    (results two studies print alike, sources no table cites) compare what the study
    jobs normalised, and are the report's.
    """
    labels = {study_id: str(b["study"].get("label") or study_id) for study_id, b in bundles.items()}
    out = [(labels[study_id], w) for study_id in sorted(bundles) for w in consistency_warnings(bundles[study_id])]
    for w in [*sham_arms_named_active(tables), *arms_in_no_node(tables, nodes), *lost_characters(tables),
              *spreadsheet_conversions(tables)]:
        out.append((warning_subject(w["ref"], labels), w))
    return out


#: What a row of each table of :data:`KEYED_TABLES` is, to name a warning about it.
_KEYED_SUBJECTS = {"sources": "Source document", "treatments": "Treatment", "instruments": "Instrument",
                   "claims": "Claim"}


def warning_subject(ref: str, labels: Mapping[str, str]) -> str:
    """What a warning about the row ``ref`` is about, as the report's table of warnings
    names it: the study's label (from ``labels``, by study id) for a study's row, else
    what the row is and its key ("Source document furlan2005", "Claim sleep_63pct")."""
    table, _, key = ref.partition(":")
    table = table.removesuffix(".csv")
    if table in _KEYED_SUBJECTS:
        return f"{_KEYED_SUBJECTS[table]} {key}"
    study_id = key.rpartition("#")[0]
    return labels.get(study_id, study_id)


def format_warning(warning: Mapping[str, Any], rows: Mapping[str, tuple[str, int]] | None = None, *,
                   quotes: tuple[str, str] = ("'", "'"),
                   headers: Mapping[str, Sequence[str]] | None = None) -> str:
    """One line for a log or the report: where (file, row, column), then the message.

    ``rows`` maps references to ``(file, spreadsheet row)`` (from
    :func:`metareview.rawdata.resolve_refs`); without it the reference is shown, and with
    it the other rows the message names (its ``related``) are named by row too. The column
    is named within ``quotes``: straight ones, as validation names a cell, in a terminal;
    the report's (‘’) in the report.

    ``headers`` are the tables' header rows as read, by table
    (:attr:`metareview.rawdata.RawData.headers`): with the warning's table among them,
    the column is given its spreadsheet letter as a validation problem's is,
    "column 'sd' (K)" (:func:`metareview.rawdata.column_positions`), the letter of the
    file as saved. A column the header lacks or holds twice is named without one.
    """
    ref, message = warning["ref"], str(warning["message"])
    if rows is not None and ref in rows:
        file, row = rows[ref]
        # A study's own row is its only one in studies.csv: "(Itoh2004#1)" hinted at others.
        key = ref.split(":", 1)[1]
        where = f"{file}, row {row} ({key.removesuffix('#1') if file == 'studies.csv' else key})"
        # The other rows a message names (by reference: the study's job knows no
        # spreadsheet rows) by row number too, lest "row 77" sit beside "Study#1".
        for other in warning.get("related") or ():
            if other in rows:
                other_file, other_row = rows[other]
                named = f"row {other_row}" if other_file == file else f"{other_file} row {other_row}"
                message = re.sub(re.escape(other) + r"(?![0-9])", named, message)
    else:
        where = ref
    if warning.get("column"):
        column = str(warning["column"])
        where += f", column {quotes[0]}{column}{quotes[1]}"
        # The letter a review team sees above the cell it is to fix, as validation gives it.
        table = str(warning.get("file") or warning["ref"].split(":", 1)[0]).removesuffix(".csv")
        positions = column_positions(column, (headers or {}).get(table))
        if positions:
            where += f" ({'/'.join(column_letter(p) for p in positions)})"
    return f"{where}: {message}"


def column_letter(number: int) -> str:
    """The spreadsheet letter of column ``number``, counted from 1: 1 -> A, 26 -> Z, 27 -> AA.

    Review teams edit the raw tables in spreadsheets, which label columns with letters, not
    numbers: a message naming "column 12" sends a reader counting, "column 12 (L)" does not.
    The letters are bijective base 26 (there is no zero digit: Z is followed by AA).

    Raises
    ------
    ValueError
        ``number`` is below 1.
    """
    if number < 1:
        raise ValueError(f"expected a column number from 1, found {number}")
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_positions(column: str, header: Sequence[str] | None) -> tuple[int, ...]:
    """Where ``column`` stands in ``header``, a file's header row as read, counted from 1.

    One position for a column, one for each column of a key of several
    ("study_id/arm_id"); none where the header lacks a name or holds it twice (which of
    the two is meant is not known), or was not read (``header`` None). Validation
    problems (:func:`metareview.rawdata.located`) and consistency warnings
    (:func:`format_warning`) are placed alike: a cell has one letter under either. Kept
    here, not in :mod:`metareview.rawdata`, which imports this module: a study's step
    then needs no reader of the raw files.
    """
    if header is None:
        return ()
    count = Counter(header)
    names = [column] if column in count else column.split("/")
    if all(count[name] == 1 for name in names):
        return tuple(header.index(name) + 1 for name in names)
    return ()


def locate(warnings: Iterable[Mapping[str, Any]], rows: Mapping[str, tuple[str, int]]) -> list[dict[str, Any]]:
    """Copies of ``warnings`` with ``row``, the spreadsheet row of ``ref`` (None if unknown)."""
    return [dict(w, row=rows[w["ref"]][1] if w["ref"] in rows else None) for w in warnings]


# --------------------------------------------------------------------------- helpers


def _g(x: float) -> str:
    return f"{x:.4g}"


def _cell(row: Mapping[str, Any], column: str) -> str:
    """The number cell ``column`` of a raw row as it was typed ("2.0", "0.90", "-2.80").

    A message that quotes a raw cell quotes it verbatim, for a reader to find it in the
    CSV and the paper: the parsed value has lost its trailing zeros, and :func:`_g` keeps
    four significant digits. A row without its cells' text (:attr:`metareview.rawdata.Row.text`,
    a bundle's ``_text``) gives the parsed value with the digits it was typed with.
    """
    text = (row.get("_text") or {}).get(column)
    return str(text) if text is not None else typed(float(row[column]))


def interval_asymmetry(est: float, lb: float, ub: float, *, log: bool = False) -> tuple[float, float] | None:
    """How far an interval is from centred on its estimate, and how far the consistency
    check (``ci_not_centred``) lets it be: (asymmetry, allowed), or None for an interval
    of no width, or on a log scale one with a value not above 0.

    The asymmetry is :math:`|(hi - y) - (y - lo)| / (hi - lo)`, on the log scale for a
    ratio; the allowance is :data:`CI_ASYMMETRY` plus what rounding the three printed
    numbers to their precision (half a unit ``u`` in the last decimal of the finest) can
    move it by: :math:`4u` on a linear scale, :math:`u/lo + u/hi + 2u/y` of a ratio.
    The check warns, and the effects say so, only when the first exceeds the second.
    """
    if log and min(est, lb, ub) <= 0:
        return None
    # Sources print an estimate and its bounds to the same precision; a parsed "2.0"
    # has lost its trailing zero, so the finest of the three tells the precision.
    u = min(half_unit(est), half_unit(lb), half_unit(ub))
    if log:
        y, lo, hi = math.log(est), math.log(lb), math.log(ub)
        # Rounding of a printed ratio x by u moves log(x) by about u / x.
        slack = u / lb + u / ub + 2 * u / est
    else:
        y, lo, hi = est, lb, ub
        slack = 4 * u
    width = hi - lo
    if width <= 0:
        return None
    return abs((hi - y) - (y - lo)) / width, CI_ASYMMETRY + slack / width


def interval_off_centre(est: float, lb: float, ub: float, *, log: bool = False) -> bool:
    """Whether the consistency check would warn that an interval is not centred on its
    estimate (:func:`interval_asymmetry`)."""
    found = interval_asymmetry(est, lb, ub, log=log)
    return found is not None and found[0] > found[1]


def half_unit(x: float) -> float:
    """Half a unit in the last decimal of ``x`` as printed (the shortest repr of a parsed cell)."""
    text = repr(float(x)).lower()
    if "e" in text:
        mantissa, exponent = text.split("e")
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return 0.5 * 10.0 ** (int(exponent) - decimals)
    decimals = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    return 0.5 * 10.0 ** (-decimals)


def _half_typed(row: Mapping[str, Any], column: str) -> float:
    """Half a unit in the last decimal of a number cell as it was typed: "2.0" is 0.05,
    where the parsed 2.0 (:func:`half_unit`) would be 0.5."""
    text = _cell(row, column)
    return 0.5 * 10.0 ** -len(text.split(".")[1]) if "." in text else half_unit(float(row[column]))


def _warning(check: str, row: Mapping[str, Any], column: str | None, message: str,
             related: Sequence[str] = ()) -> dict[str, Any]:
    ref = str(row.get("_ref", ""))
    return {"check": check, "ref": ref, "file": ref.split(":", 1)[0], "column": column,
            "message": message, "related": list(related)}


def _same_time(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a.get("timepoint_weeks") == b.get("timepoint_weeks")


def _timepoint(row: Mapping[str, Any]) -> Any:
    """A row's timepoint, to group rows by: its weeks, else its label (rows of one
    timepoint given in words only belong together too)."""
    weeks = row.get("timepoint_weeks")
    return weeks if weeks is not None else row.get("timepoint_label")


def _when(row: Mapping[str, Any]) -> str:
    weeks = row.get("timepoint_weeks")
    return f"at week {_cell(row, 'timepoint_weeks')}" if weeks is not None else "at an unstated week"


class _Checker:
    def __init__(self, bundle: Mapping[str, Any]):
        self.instruments = {i["instrument"]: i for i in bundle.get("instruments", [])}
        self.arms = {a["arm_id"]: a for a in bundle.get("arms", [])}
        self.arm_rows: list[Mapping[str, Any]] = list(bundle.get("arm_outcomes", []))
        self.contrasts: list[Mapping[str, Any]] = list(bundle.get("contrasts", []))
        self.study: Mapping[str, Any] = bundle.get("study") or {}

    # ----------------------------------------------------------------- lookups

    def _lower_is_better(self, instrument: str) -> bool:
        inst = self.instruments.get(instrument)
        return True if inst is None else bool(inst.get("lower_is_better", True))

    def _arm_n(self, row: Mapping[str, Any], contrast: Mapping[str, Any] | None = None,
               side: str | None = None) -> int | None:
        """Participants behind an arm row: its own n, else the arm's, else the contrast's."""
        if row.get("n") is not None:
            return int(row["n"])
        arm = self.arms.get(row["arm_id"], {})
        for key in ("n_analysed", "n_randomised"):
            if arm.get(key) is not None:
                return int(arm[key])
        if contrast is not None and side is not None and contrast.get(side) is not None:
            return int(contrast[side])
        return None

    def _matching_arm_rows(self, contrast: Mapping[str, Any], arm_id: str,
                           value_types: Sequence[str]) -> list[Mapping[str, Any]]:
        return [r for r in self.arm_rows
                if r["arm_id"] == arm_id and r["instrument"] == contrast["instrument"]
                and r["outcome"] == contrast["outcome"] and _same_time(r, contrast)
                and r["value_type"] in value_types]

    # ----------------------------------------------------------------- reported d

    def reported_d(self) -> list[dict[str, Any]]:
        out = []
        for c in self.contrasts:
            if c["measure"] not in ("cohen_d", "SMD") or c.get("estimate") is None:
                continue
            if c.get("value_type") in ("final", "change"):
                value_types = [c["value_type"]]
            else:
                value_types = ["final", "change"]
            tried = []
            for vt in value_types:
                rows1 = [r for r in self._matching_arm_rows(c, c["arm1"], [vt]) if r.get("mean") is not None]
                rows2 = [r for r in self._matching_arm_rows(c, c["arm2"], [vt]) if r.get("mean") is not None]
                for r1 in rows1:
                    for r2 in rows2:
                        result = self._recompute_d(c, r1, r2, vt)
                        if result is not None:
                            tried.append(result)
            if not tried or any(t["agrees"] for t in tried):
                continue
            best = min(tried, key=lambda t: t["gap"])
            out.append(_warning("d_disagrees_with_arms", c, "estimate", best["message"], best["related"]))
        return out

    def _recompute_d(self, c: Mapping[str, Any], r1: Mapping[str, Any], r2: Mapping[str, Any],
                     vt: str) -> dict[str, Any] | None:
        def sd_of(row: Mapping[str, Any], n: int | None) -> float | None:
            if row.get("sd") is not None:
                return float(row["sd"])
            if row.get("se") is not None and n is not None:
                return float(row["se"]) * math.sqrt(n)
            return None

        n1, n2 = self._arm_n(r1, c, "n1"), self._arm_n(r2, c, "n2")
        s1, s2 = sd_of(r1, n1), sd_of(r2, n2)
        if s1 is None or s2 is None:
            return None
        m1, m2 = float(r1["mean"]), float(r2["mean"])
        # The cells as typed; a value computed from them (an SD from an SE, a change whose
        # sign was turned) as a number.
        m2_text = _cell(r2, "mean")
        if vt == "change" and r1.get("change_sign") != r2.get("change_sign"):
            m2 = -m2  # put arm2's change in arm1's sign convention
            m2_text = _g(m2)
        s1_text = _cell(r1, "sd") if r1.get("sd") is not None else _g(s1)
        s2_text = _cell(r2, "sd") if r2.get("sd") is not None else _g(s2)
        if n1 is not None and n2 is not None and n1 + n2 > 2:
            sp = math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2))
        else:
            sp = math.sqrt((s1**2 + s2**2) / 2)
        if sp <= 0:
            return None
        d = (m1 - m2) / sp
        label = "d"
        if c["measure"] == "SMD" and n1 is not None and n2 is not None and 4 * (n1 + n2) > 9:
            d *= 1 - 3 / (4 * (n1 + n2) - 9)
            label = "g"
        # Which way is better for arm1's numbers as written: larger final scores are better
        # when higher is better; a change written with a decrease as positive flips that.
        higher_better = not self._lower_is_better(c["instrument"])
        if vt == "change" and r1.get("change_sign") == "decrease_positive":
            higher_better = not higher_better
        est = float(c["estimate"])
        conv = c.get("sign_convention")
        signed = {
            "arm1_minus_arm2": est,
            "arm2_minus_arm1": -est,
            "positive_favours_arm1": est if higher_better else -est,
            "positive_favours_arm2": -est if higher_better else est,
        }
        tolerance = D_TOLERANCE_ABS + D_TOLERANCE_REL * abs(d)
        if conv in signed:
            reported = signed[conv]
            gap = abs(reported - d)
            sign_note = ""
            if gap > tolerance and abs(abs(reported) - abs(d)) <= tolerance:
                sign_note = "; the sizes agree but the signs do not: check sign_convention"
        else:
            reported, d_cmp = abs(est), abs(d)
            gap = abs(reported - d_cmp)
            sign_note = f" (sign_convention '{conv}': sizes compared)"
        arms_text = (f"{_cell(r1, 'mean')} (SD {s1_text}, n {n1 if n1 is not None else '?'}) vs "
                     f"{m2_text} (SD {s2_text}, n {n2 if n2 is not None else '?'})")
        message = (f"expected the reported {c['measure']} {_cell(c, 'estimate')} to be within {_g(tolerance)} of the {label} "
                   f"recomputed from the arms' {vt} means and SDs {_when(c)}, {arms_text}; found {_g(d)}, "
                   f"a difference of {_g(gap)}{sign_note}")
        return {"agrees": gap <= tolerance, "gap": gap, "message": message,
                "related": [str(r1.get("_ref", "")), str(r2.get("_ref", ""))]}

    # ----------------------------------------------------------------- intervals

    def ci_centred(self) -> list[dict[str, Any]]:
        out = []
        for c in self.contrasts:
            if c["measure"] == "p_only":
                continue
            w = self._interval(c, c.get("estimate"), c.get("ci_lb"), c.get("ci_ub"), log=c["measure"] in ("RR", "OR"),
                               what=c["measure"], column="estimate")
            if w:
                out.append(w)
        for r in self.arm_rows:
            if r["value_type"] in (*_MEAN_TYPES, "percent_change"):
                w = self._interval(r, r.get("mean"), r.get("ci_lb"), r.get("ci_ub"), log=False, what="mean",
                                   column="mean")
                if w:
                    out.append(w)
        return out

    def _interval(self, row: Mapping[str, Any], est: float | None, lb: float | None, ub: float | None, *,
                  log: bool, what: str, column: str = "estimate") -> dict[str, Any] | None:
        if est is None or lb is None or ub is None:
            return None
        if log and min(est, lb, ub) <= 0:
            return None  # the reader refuses these; nothing to say on a log scale
        # The three cells as typed: est is the row's ``column``.
        est_text, lb_text, ub_text = _cell(row, column), _cell(row, "ci_lb"), _cell(row, "ci_ub")
        if not lb <= est <= ub:
            return _warning("estimate_outside_ci", row, column,
                            f"expected the {what} within its interval, found {est_text} outside "
                            f"({lb_text} to {ub_text})")
        found = interval_asymmetry(est, lb, ub, log=log)
        if found is None or found[0] <= found[1]:
            return None
        asymmetry, allowed = found
        y, lo, hi = (math.log(est), math.log(lb), math.log(ub)) if log else (est, lb, ub)
        scale = "log scale" if log else "its own scale"
        centre = math.exp((lo + hi) / 2) if log else (lo + hi) / 2
        # The two distances the asymmetry is made of: "asymmetry 34%" alone read as the
        # centre's distance from the estimate over the width, half of it (17%).
        # The cell named is the bound farther from the estimate: naming ci_lb whichever was
        # off sent a checker to confirm the lower bound and close the warning while the
        # upper one was misread. Any of the three may be, which the message says.
        far = "ci_lb" if y - lo > hi - y else "ci_ub"
        return _warning("ci_not_centred", row, far,
                        f"expected the interval ({lb_text} to {ub_text}) to be centred on the {what} {est_text} on "
                        f"{scale} (asymmetry at most {allowed:.0%} with rounding), found it centred on "
                        f"{_g(centre)}: its bounds lie {_g(y - lo)} below and {_g(hi - y)} above the estimate"
                        f"{' on the log scale' if log else ''}, an asymmetry of {asymmetry:.0%} of its width; the "
                        f"bound farther out is named, but the {column}, ci_lb or ci_ub may be the one misread")

    # ----------------------------------------------------------------- participants

    def participants(self) -> list[dict[str, Any]]:
        out = []
        for c in self.contrasts:
            total = c.get("n_total")
            n1, n2 = c.get("n1"), c.get("n2")
            arm1, arm2 = self.arms.get(c["arm1"], {}), self.arms.get(c["arm2"], {})
            if total is not None and n1 is not None and n2 is not None and n1 + n2 > total:
                out.append(_warning("n_exceeds_total", c, "n_total",
                                    f"expected n1 + n2 ({_cell(c, 'n1')} + {_cell(c, 'n2')} = {n1 + n2}) at most "
                                    f"n_total, found n_total {_cell(c, 'n_total')}"))
            elif total is not None and (n1 is None or n2 is None):
                rows1 = [r for r in self._matching_arm_rows(c, c["arm1"], _ARM_TYPES) if r.get("n") is not None]
                rows2 = [r for r in self._matching_arm_rows(c, c["arm2"], _ARM_TYPES) if r.get("n") is not None]
                if rows1 and rows2 and rows1[0]["n"] + rows2[0]["n"] > total:
                    a, b = rows1[0]["n"], rows2[0]["n"]
                    out.append(_warning("n_exceeds_total", c, "n_total",
                                        f"expected the arms' n {_when(c)} ({_cell(rows1[0], 'n')} + "
                                        f"{_cell(rows2[0], 'n')} = {a + b}) at most n_total, found n_total "
                                        f"{_cell(c, 'n_total')}", [rows1[0].get("_ref", ""), rows2[0].get("_ref", "")]))
            r1, r2 = arm1.get("n_randomised"), arm2.get("n_randomised")
            if total is not None and r1 is not None and r2 is not None and total > r1 + r2:
                out.append(_warning("total_exceeds_randomised", c, "n_total",
                                    f"expected n_total at most the participants randomised to arms "
                                    f"'{c['arm1']}' and '{c['arm2']}' ({_cell(arm1, 'n_randomised')} + "
                                    f"{_cell(arm2, 'n_randomised')} = {r1 + r2}), found {_cell(c, 'n_total')}",
                                    [arm1.get("_ref", ""), arm2.get("_ref", "")]))
        # An arm row's n, or a contrast's n1 or n2, above the arm's randomised participants
        # cannot be: metareview.rawdata.read_raw refuses it.
        return out

    # ----------------------------------------------------------------- one row per arm

    def repeated_arm_rows(self) -> list[dict[str, Any]]:
        out = []
        first: dict[tuple[Any, ...], Mapping[str, Any]] = {}
        for r in self.arm_rows:
            when = _timepoint(r)
            key = (r.get("arm_id"), r.get("outcome"), r.get("instrument"), when, r.get("value_type"))
            if key not in first:
                first[key] = r
                continue
            # The effect cannot choose between two results for one arm (a row copied for
            # the other arm, its arm_id left unchanged) and uses neither: an analysis
            # takes another of the study's timepoints when it has a usable one, which may
            # lie farther from the window's target, and leaves the study out only when it
            # has none (metareview.extract).
            out.append(_warning("repeated_arm_row", r, "arm_id",
                                f"expected one row for arm '{r['arm_id']}' on {r['instrument']} {_when(r)} "
                                f"({r['value_type']} values), found another ({first[key].get('_ref', '')}): "
                                "no row of this timepoint is used, and the analyses it would enter take another "
                                "of the study's timepoints, or leave the study out when it has none; check the "
                                "arm_id, or which row is right", [str(first[key].get("_ref", ""))]))
        return out

    def repeated_contrasts(self) -> list[dict[str, Any]]:
        out = []
        first: dict[tuple[Any, ...], Mapping[str, Any]] = {}
        for c in self.contrasts:
            when = _timepoint(c)
            key = (frozenset((c.get("arm1"), c.get("arm2"))), c.get("outcome"), c.get("instrument"), when,
                   c.get("measure"), c.get("value_type"))
            other = first.setdefault(key, c)
            if other is c:
                continue
            # Rows identical in every cell are refused by the reader; these differ. An
            # analysis takes one (the one of more participants, else the first), so the
            # other's numbers are never seen unless someone is told.
            out.append(_warning("repeated_contrast", c, "arm1",
                                f"expected one {c['measure']} row for arms '{c['arm1']}' and '{c['arm2']}' on "
                                f"{c['instrument']} {_when(c)}, found another ({other.get('_ref', '')}): an analysis "
                                "uses one of them (the one of more participants, else the first); check which the "
                                "source gives for this comparison, and note the other", [str(other.get("_ref", ""))]))
        return out

    def change_signs(self) -> list[dict[str, Any]]:
        out = []
        first: dict[tuple[Any, ...], Mapping[str, Any]] = {}
        for r in self.arm_rows:
            if r.get("value_type") not in ("change", "percent_change") or r.get("change_sign") is None:
                continue
            when = _timepoint(r)
            key = (r.get("outcome"), r.get("instrument"), when, r.get("value_type"))
            other = first.setdefault(key, r)
            if other is r or other.get("arm_id") == r.get("arm_id") or other["change_sign"] == r["change_sign"]:
                continue
            # A source signs its arms' changes alike: one arm's row signed otherwise (a row
            # copied from another study's, or read from another table) turns a difference of
            # changes into their sum, and every range check passes.
            out.append(_warning("change_sign_differs", r, "change_sign",
                                f"expected the change_sign of the study's other arms on {r['instrument']} {_when(r)} "
                                f"('{other['change_sign']}', {other.get('_ref', '')}), found '{r['change_sign']}': "
                                "a source signs the changes of its arms alike; check each row's sign against its "
                                "quote", [str(other.get("_ref", ""))]))
        return out

    # ----------------------------------------------------------------- arm sizes

    def unbalanced_arms(self) -> list[dict[str, Any]]:
        out = []
        groups: dict[tuple[Any, ...], list[Mapping[str, Any]]] = {}
        for r in self.arm_rows:
            if r.get("n"):
                when = _timepoint(r)
                groups.setdefault((r.get("outcome"), r.get("instrument"), when, r.get("value_type")), []).append(r)
        for rows in groups.values():
            small = min(rows, key=lambda r: r["n"])
            for r in rows:
                if r["n"] > UNBALANCED_ARMS * small["n"]:
                    # 370 typed for 37 where arms.csv gives no size to refuse it against:
                    # randomised arms this unequal are rare, and the larger arm weighs the
                    # effect.
                    out.append(_warning("unbalanced_arms", r, "n",
                                        f"expected arm sizes within {UNBALANCED_ARMS:g} times each other "
                                        f"{_when(r)}, found n {_cell(r, 'n')} against {_cell(small, 'n')} for arm "
                                        f"'{small['arm_id']}' ({small.get('_ref', '')}): a digit too many?",
                                        [str(small.get("_ref", ""))]))
        return out

    # ----------------------------------------------------------------- the quote

    def quoted_values(self) -> list[dict[str, Any]]:
        out = []
        for r in (*self.arm_rows, *self.contrasts):
            quote = str(r.get("quote") or "")
            if not quote.strip():
                continue
            # Only a risk difference is a proportion whose source may print it as a
            # percentage (3.4% for 0.034); any other cell holding a printed percentage
            # divided by 100 is a proportion typed where the codebook asks for the
            # percentage (a responder rate of 47.6% entered as 0.476), and is warned about.
            numbers = quote_numbers(quote, as_proportions=r.get("measure") == "RD")
            missing = [(column, r[column]) for column in QUOTED_COLUMNS
                       if isinstance(r.get(column), (int, float)) and not isinstance(r.get(column), bool)
                       and not _in_quote(float(r[column]), numbers)]
            if missing:
                # One warning per row, at its first such cell: a row read from another page
                # misses all its values at once.
                cells = ", ".join(f"{column} {_cell(r, column)}" for column, _ in missing)
                shown = quote if len(quote) <= 80 else quote[:79].rstrip() + "\u2026"
                printed = quote_percent(quote, float(missing[0][1]))
                hint = (f"; {_cell(r, missing[0][0])} is the quote's {printed} as a proportion (write {printed[:-1]})"
                        if printed else "")
                interval = QUOTED_CI.search(quote)
                if interval and any(column == "sd" for column, _ in missing):
                    # An SD the quote does not print, beside an interval it does: the mean's
                    # CI half-width typed as the SD ("3.1 (95% CI 2.5 to 3.7)" as sd 0.6),
                    # an SD about sqrt(n)/1.96 times too small.
                    level = f"{interval['level']}% " if interval["level"] else ""
                    hint += (f"; the quote gives a {level}CI: sd {_cell(r, 'sd')} may be its half-width, so enter the "
                             "interval in ci_lb and ci_ub, its level in ci_level, and leave sd empty")
                out.append(_warning("value_not_in_quote", r, missing[0][0],
                                    f"expected {'the value' if len(missing) == 1 else 'the values'} ({cells}) among "
                                    f"the numbers of the row's quote (\u201c{shown}\u201d), found no such number{hint}: "
                                    "check the cells against the source, or quote the words they were read from"))
            elif isinstance(r.get("i2"), (int, float)) and not _in_quote(float(r["i2"]), numbers):
                # I² is often printed away from the quoted result, so it is not asked of the
                # quote; but the quote's own "I² = 90%" typed as 0.9 is a proportion for the
                # percentage the codebook asks for, which the report would print as 0.9%.
                printed = quote_percent(quote, float(r["i2"]))
                if printed:
                    out.append(_warning("value_not_in_quote", r, "i2",
                                        f"expected I\u00b2 in percent as the row's quote prints it ({printed}), found "
                                        f"i2 {_cell(r, 'i2')}: a proportion? write {printed[:-1]}"))
        return out

    def quoted_signs(self) -> list[dict[str, Any]]:
        out = []
        for r in (*self.arm_rows, *self.contrasts):
            quote = str(r.get("quote") or "")
            # A positive_favours_* value is signed by which arm it favours, which need
            # not be the source's sign (a d printed negative on a lower-is-better scale).
            if not quote.strip() or str(r.get("sign_convention") or "").startswith("positive_favours"):
                continue
            signed_elsewhere = "minus" in {sign for _, sign in quote_signs(quote)}
            differs = []
            for column in QUOTED_COLUMNS:
                value = r.get(column)
                if not isinstance(value, (int, float)) or isinstance(value, bool) or value == 0:
                    continue
                found = quote_signs(quote, float(value))
                if not found:
                    continue  # not printed, or only as a proportion or thousands' part
                signs = {sign for _, sign in found}
                if (value > 0 and signs == {"minus"}) or (value < 0 and signs == {"none"} and signed_elsewhere):
                    differs.append((column, found[0][0]))
            if differs:
                # One warning per row, at its first such cell, as for a value not quoted.
                column, printed = differs[0]
                more = "".join(f"; {c}: quote {p}, cell {_cell(r, c)}" for c, p in differs[1:])
                out.append(_warning("sign_differs_from_quote", r, column,
                                    f"sign differs from the quote (quote: {printed}, cell: {_cell(r, column)}){more}: "
                                    "a minus lost or added in typing turns the value to the other side of zero; "
                                    "check the sign against the source"))
        return out

    # ----------------------------------------------------------------- mean or SD

    def mean_quoted_as_spread(self) -> list[dict[str, Any]]:
        out = []
        for r in self.arm_rows:
            mean = r.get("mean")
            if mean is None or isinstance(mean, bool):
                continue
            pairs = quoted_pairs(str(r.get("quote") or ""))
            values = [v for v, _ in pairs]
            spread_of = [v for v, spread in pairs if _in_quote(float(mean), [spread])]
            if not spread_of or _in_quote(float(mean), values):
                continue
            # A value with its spread is where a source prints a mean; a number printed
            # only in the spread's place is an SD (or SE), whatever column it was typed in.
            out.append(_warning("mean_quoted_as_spread", r, "mean",
                                f"expected the mean, found mean {_cell(r, 'mean')}, which the row's quote prints only as "
                                f"the spread of {_g(spread_of[0])}: the SD typed in the mean column? the mean goes in "
                                "mean, its SD in sd"))
        return out

    def sd_quoted_as_value(self) -> list[dict[str, Any]]:
        out = []
        for r in self.arm_rows:
            sd = r.get("sd")
            if sd is None or isinstance(sd, bool):
                continue
            pairs = quoted_pairs(str(r.get("quote") or ""))
            spreads = [spread for _, spread in pairs]
            valued = [(v, spread) for v, spread in pairs if _in_quote(float(sd), [v])]
            if not valued or _in_quote(float(sd), spreads):
                continue
            # The mirror of mean_quoted_as_spread: a number printed only with a spread of
            # its own is a mean, whatever column it was typed in. Another arm's mean typed
            # as this one's SD passes every range check, and widens the interval until a
            # clear difference reads as none.
            value, spread = valued[0]
            out.append(_warning("sd_quoted_as_value", r, "sd",
                                f"expected a standard deviation, found sd {_cell(r, 'sd')}, which the row's quote "
                                f"prints only as a value with its own spread ({_g(value)} ({_g(spread)})): a mean typed "
                                "in the sd column? the SD is the number in brackets or after \u00b1 beside this "
                                "arm's mean"))
        return out

    # ----------------------------------------------------------------- SD or SE

    def sd_quoted_as_se(self) -> list[dict[str, Any]]:
        out = []
        for r in self.arm_rows:
            quote = str(r.get("quote") or "")
            if r.get("sd") is None or r.get("se") is not None or SD_WORDS.search(quote):
                continue
            # "Sleep efficiency (SE, %)": an abbreviation defined in the quote, not a spread.
            said = [m for m in SE_WORDS.finditer(quote) if not _DEFINES_SE.search(quote[:m.start()])]
            if not said:
                continue
            # An SE in the sd column passes every range check, and shrinks the effect's
            # variance about n-fold: the study then weighs far more than it should.
            word = said[0].group(0)
            out.append(_warning("sd_quoted_as_se", r, "sd",
                                f"expected a standard deviation, found sd {_cell(r, 'sd')} where the row's quote gives "
                                f"standard errors ('{word}') and no SD: if it is a standard error, move it to the se "
                                "column (the SD is then computed as se \u00d7 \u221an)"))
        return out

    # ----------------------------------------------------------------- the study's label

    def label_year(self) -> list[dict[str, Any]]:
        study = self.study
        label, year = str(study.get("label") or ""), study.get("year")
        years = {int(y) for y in _LABEL_YEAR.findall(label)}
        if not study.get("study_id") or not isinstance(year, int) or isinstance(year, bool) or not years:
            return []
        if int(year) in years:
            return []
        # The report prints the label; What changed read a year typed anew as a rename of
        # an unchanged study, and a reader finds "Okafor et al. (2020)" under 2021.
        row = {"_ref": f"studies.csv:{study['study_id']}#1"}
        return [_warning("label_year", row, "year",
                         f"expected the year its label gives ({join_list([str(y) for y in sorted(years)])}), found "
                         f"year {year}: correct whichever of label and year is wrong")]

    # ----------------------------------------------------------------- quartiles or range

    def spread_of_median(self) -> list[dict[str, Any]]:
        out = []
        for r in self.arm_rows:
            quote = str(r.get("quote") or "")
            ranged = r.get("min") is not None and r.get("max") is not None
            quartered = r.get("q1") is not None and r.get("q3") is not None
            iqr, whole = IQR_WORDS.search(quote), RANGE_WORDS.search(quote)
            # Quartiles typed as the range make the SD Wan et al. estimate from the range
            # about a third of the one they give from the quartiles: the trial then weighs
            # several times what it should (11% to 52% in a pooled MD), and every range
            # check passes. Only the quote's words tell the two apart; with both named, or
            # all four cells filled, nothing is said.
            if ranged and not quartered and iqr and not whole:
                out.append(_warning("quartiles_quoted_as_range", r, "min",
                                    f"expected the minimum and maximum, found min {_cell(r, 'min')} and max "
                                    f"{_cell(r, 'max')} where the row's quote gives quartiles ('{iqr.group(0)}') and no "
                                    "range: if they are the quartiles, move them to q1 and q3"))
            elif quartered and not ranged and whole and not iqr:
                out.append(_warning("range_quoted_as_quartiles", r, "q1",
                                    f"expected the first and third quartiles, found q1 {_cell(r, 'q1')} and q3 "
                                    f"{_cell(r, 'q3')} where the row's quote gives a range ('{whole.group(0)}') and no "
                                    "quartiles: if they are the minimum and maximum, move them to min and max"))
        return out

    # ----------------------------------------------------------------- two spreads

    def spreads(self) -> list[dict[str, Any]]:
        out = []
        for r in self.arm_rows:
            sd, se, n = r.get("sd"), r.get("se"), self._arm_n(r)
            if sd is None or se is None or n is None:
                continue
            # The SD is what the effect uses; an SE that disagrees with it may be the
            # right number of the two, so the row is named, not corrected.
            implied = float(sd) / math.sqrt(n)
            slack = _half_typed(r, "se") + _half_typed(r, "sd") / math.sqrt(n)
            if abs(se - implied) > SPREAD_TOLERANCE * max(se, implied) + slack:
                out.append(_warning("spread_disagrees", r, "se",
                                    f"expected the se to be sd / \u221an = {_cell(r, 'sd')} / \u221a{n} = {_g(implied)}, "
                                    f"found {_cell(r, 'se')}: the SD is used; check which the source gives, and n"))
        for c in self.contrasts:
            lb, ub, se = c.get("ci_lb"), c.get("ci_ub"), c.get("se")
            if c["measure"] in ("RR", "OR", "p_only") or lb is None or ub is None or se is None or ub <= lb:
                continue
            level = float(c.get("ci_level") or 95.0)
            if c["measure"] == "MD":
                # The quantile the effect's SE is taken with: t for small groups.
                z, _ = md_ci_quantile(level, c.get("n1"), c.get("n2"))
            else:
                z = NormalDist().inv_cdf(0.5 + level / 200.0)
            implied = (ub - lb) / (2 * z)
            slack = (_half_typed(c, "ci_lb") + _half_typed(c, "ci_ub")) / (2 * z) + _half_typed(c, "se")
            if abs(se - implied) > SPREAD_TOLERANCE * max(se, implied) + slack:
                out.append(_warning("spread_disagrees", c, "se",
                                    f"expected the se to be the {level:g}% interval's width / (2 \u00d7 {z:.2f}) = "
                                    f"({_cell(c, 'ci_ub')} \u2212 {_cell(c, 'ci_lb')}) / {2 * z:.2f} = {_g(implied)}, "
                                    f"found {_cell(c, 'se')}: the interval is used; check which the source gives"))
        return out

    # ----------------------------------------------------------------- scale

    def smaller_scale(self) -> list[dict[str, Any]]:
        out = []
        groups: dict[tuple[Any, ...], list[Mapping[str, Any]]] = {}
        for r in self.arm_rows:
            if r["value_type"] == "final" and r.get("mean") is not None:
                groups.setdefault((r["instrument"], timepoint_key(r)), []).append(r)
        for (instrument, _), rows in groups.items():
            inst = self.instruments.get(instrument) or {}
            lo, hi = inst.get("scale_min"), inst.get("scale_max")
            # A measure in a unit (days in hospital) has no scale a value could have been
            # read on ten times smaller, and most stays sit near the bottom of any bound.
            if lo is None or hi is None or hi - lo < SMALLER_SCALE_MIN_RANGE or inst.get("unit"):
                continue
            # Every arm: one arm's low score is a result, a whole trial's is a sign of the scale.
            if len({r.get("arm_id") for r in rows}) < 2:
                continue
            top = lo + SMALLER_SCALE_FRACTION * (hi - lo)
            sds = [r["sd"] for r in rows if r.get("sd") is not None]
            if any(r["mean"] > top for r in rows) or any(sd > SMALLER_SCALE_FRACTION * (hi - lo) for sd in sds):
                continue
            means = ", ".join(_cell(r, "mean") for r in rows)
            spread = f" (SD {', '.join(_cell(r, 'sd') for r in rows if r.get('sd') is not None)})" if sds else ""
            factor = 1 / SMALLER_SCALE_FRACTION
            # Scores on the smaller scale start where the instrument starts: x becomes
            # lo + (x - lo) x 10 (x 10 itself only from 0); an SD is multiplied alone.
            how = (f"multiply them by {_g(factor)}" if lo == 0 else
                   f"enter each mean as {_g(lo)} + (mean \u2212 {_g(lo)}) \u00d7 {_g(factor)} and each SD "
                   f"\u00d7 {_g(factor)}")
            out.append(_warning("values_on_smaller_scale", rows[0], "mean",
                                f"expected final means on {instrument} (range {_g(lo)} to {_g(hi)}) not all within "
                                f"its bottom tenth, found every mean {_when(rows[0])} from {_g(lo)} to {_g(top)}: "
                                f"{means}{spread}: values on a {_g(lo)} to {_g(top)} scale? Then {how}, or enter "
                                "them on an instrument of that range",
                                [str(r.get("_ref", "")) for r in rows[1:]]))
        return out

    # ----------------------------------------------------------------- percentages

    def percentages(self) -> list[dict[str, Any]]:
        out = []
        for r in self.arm_rows:
            inst = self.instruments.get(r["instrument"]) or {}
            if (r["value_type"] == "percent_change" and r.get("mean") is not None
                    and inst.get("scale_min") is None):
                # With a known range whose minimum is 0 or more, metareview.rawdata.read_raw
                # refuses it; without one, a score that cannot go below 0 is likely.
                change = -r["mean"] if r.get("change_sign") == "decrease_positive" else r["mean"]
                if change < -100:
                    out.append(_warning("percent_decrease_beyond_all", r, "mean",
                                        f"expected a decrease of at most 100 % (a score that cannot go below 0 "
                                        f"cannot fall by more than all of it; this instrument's range is not "
                                        f"known), found a decrease of {_g(-change)} % (change_sign "
                                        f"'{r.get('change_sign')}')"))
            if r.get("percent") is not None and r.get("events") is not None and r.get("n"):
                implied = 100 * r["events"] / r["n"]
                if abs(implied - r["percent"]) > PERCENT_TOLERANCE:
                    out.append(_warning("percent_disagrees_with_counts", r, "percent",
                                        f"expected percent near 100 * events / n = 100 * {_cell(r, 'events')} / "
                                        f"{_cell(r, 'n')} = {implied:.1f}, found {_cell(r, 'percent')}"))
        return out


    def timepoints(self) -> list[dict[str, Any]]:
        out = []
        for r in [*self.arm_rows, *self.contrasts]:
            weeks, said = r.get("timepoint_weeks"), timepoint_label_weeks(r.get("timepoint_label") or "")
            if weeks is None or said is None or said[1] <= weeks <= said[2]:
                continue
            what, low, high = said
            low, high = max(math.floor(low * 10) / 10, 0.0), math.ceil(high * 10) / 10
            out.append(_warning("weeks_disagree_with_label", r, "timepoint_weeks",
                                f"expected weeks matching timepoint_label '{r['timepoint_label']}' ({what}: "
                                f"{low:g} to {high:g} weeks), found {_cell(r, 'timepoint_weeks')}"))
        return out


    def weeks_missing(self) -> list[dict[str, Any]]:
        out = []
        # Arm rows only (a contrast pairs with nothing), and only against rows they would
        # pair with: the other arms' rows of the same outcome, instrument and value type. A
        # generic label ("follow-up") reused at other timepoints or for other outcomes is
        # no sign that weeks were left out.
        def group(r: Mapping[str, Any]) -> tuple[Any, ...]:
            return (r.get("outcome"), r.get("instrument"), r.get("value_type"),
                    timepoint_key({"timepoint_label": r.get("timepoint_label")})[1])

        weeks_of: dict[tuple[Any, ...], list[Mapping[str, Any]]] = {}
        for r in self.arm_rows:
            if r.get("timepoint_weeks") is not None and r.get("timepoint_label"):
                weeks_of.setdefault(group(r), []).append(r)
        for r in self.arm_rows:
            if r.get("timepoint_weeks") is not None or not r.get("timepoint_label"):
                continue
            others = [o for o in weeks_of.get(group(r), []) if o.get("arm_id") != r.get("arm_id")]
            if not others:
                continue
            # The weeks left out of one arm's row: it pairs with no row that has them, and
            # the study may drop out of the analysis (weeks are never read from a label).
            weeks = sorted({float(o["timepoint_weeks"]) for o in others})
            # Each number of weeks as its first row typed it ("8", or "8.0").
            typed_as: dict[float, str] = {}
            for o in others:
                typed_as.setdefault(float(o["timepoint_weeks"]), _cell(o, "timepoint_weeks"))
            shown = " or ".join(typed_as[w] for w in weeks)
            said = timepoint_label_weeks(r["timepoint_label"])
            named = f" (the label names {said[0]})" if said is not None and said[1] <= weeks[0] <= said[2] else ""
            refs = [str(o.get("_ref", "")) for o in others]
            cited = ", ".join(refs[:2]) + (f" and {len(refs) - 2} more" if len(refs) > 2 else "")
            out.append(_warning("weeks_missing_for_label", r, "timepoint_weeks",
                                f"expected the weeks of timepoint_label '{r['timepoint_label']}', {shown} as in "
                                f"{cited}{named}, found an empty cell: without them this row pairs with no row "
                                "that has them, and the study may be left out of the analyses it would enter",
                                refs))
        return out

    def weeks_unpaired(self) -> list[dict[str, Any]]:
        out = []
        # One arm's weeks mistyped ("8" for "6"): its row then pairs with no other arm's and
        # the study leaves the analyses it would enter, with a reason ("no value for the
        # other arm at the same timepoint") that does not say which cell to look at. Asked
        # only when the other arms give weeks this arm does not: an arm followed up at one
        # more timepoint than the others is no sign of a typo.
        groups: dict[tuple[Any, ...], dict[Any, list[Mapping[str, Any]]]] = {}
        for r in self.arm_rows:
            if r.get("timepoint_weeks") is not None and r.get("value_type") != "within_group_change":
                key = (r.get("outcome"), r.get("instrument"), r.get("value_type"))
                groups.setdefault(key, {}).setdefault(r.get("arm_id"), []).append(r)
        for by_arm in groups.values():
            if len(by_arm) < 2:
                continue
            for arm, rows in by_arm.items():
                own = {float(r["timepoint_weeks"]) for r in rows}
                others = [o for a, os in by_arm.items() if a != arm for o in os]
                other_weeks = {float(o["timepoint_weeks"]) for o in others}
                if other_weeks <= own:
                    continue
                typed_as: dict[float, str] = {}
                for o in sorted(others, key=lambda o: float(o["timepoint_weeks"])):
                    typed_as.setdefault(float(o["timepoint_weeks"]), _cell(o, "timepoint_weeks"))
                for r in rows:
                    if float(r["timepoint_weeks"]) in other_weeks:
                        continue
                    out.append(_warning("weeks_unpaired", r, "timepoint_weeks",
                                        f"expected the weeks of another arm's {r['value_type']} row on "
                                        f"{r['instrument']} ({' or '.join(typed_as.values())}), found "
                                        f"{_cell(r, 'timepoint_weeks')}, which no other arm's row gives: this row "
                                        "pairs with none, and the study may be left out of the analyses it would "
                                        "enter; check the weeks of each arm's row",
                                        [str(o.get("_ref", "")) for o in others]))
        return out

    # ----------------------------------------------------------------- why a size is blank

    def n_reason_only_in_notes(self) -> list[dict[str, Any]]:
        out = []
        # Each table's size cells, and whether a row lacks its size when any of them is
        # blank (a contrast needs both arms') or only when all are (an arm has either count).
        tables = ((self.arms.values(), ("n_randomised", "n_analysed"), all),
                  (self.arm_rows, ("n",), all), (self.contrasts, ("n1", "n2"), any))
        for rows, columns, lacking in tables:
            for r in rows:
                if r.get("n_missing_reason") or not lacking(r.get(c) is None for c in columns):
                    continue
                if rows is self.arm_rows and (self._arm_n(r) is not None
                                              or self.arms.get(r["arm_id"], {}).get("n_missing_reason")):
                    # An arm row without its n takes its arm's size, else its arm's reason:
                    # the report's words are not this row's to decide.
                    continue
                said = N_NOT_REPORTED_WORDS.search(str(r.get("notes") or ""))
                if said is None:
                    continue
                # The notes say the source gives no size, the cell that decides the report's
                # words is empty: the report blames the raw tables for a number the source
                # lacks ("arm n not in the raw tables" for "not reported").
                out.append(_warning("n_reason_only_in_notes", r, "n_missing_reason",
                                    f"expected 'not_reported' where the notes say the source gives no arm size "
                                    f"('{said.group(0)}'), found an empty cell: the report says the size is not in "
                                    "the raw tables; set the cell, or reword the notes if the source gives the size"))
        return out


#: Words of a row's notes that record the source as not giving the arms' sizes ("Per-arm
#: n not reported", "per-arm n and SD not given", "arm sizes not stated"): asked about
#: when the row's ``n_missing_reason`` is empty (:meth:`_Checker.n_reason_only_in_notes`).
#: They decide nothing themselves: a note worded otherwise is no less true.
N_NOT_REPORTED_WORDS = re.compile(
    r"\b(?:per[\s-]arm|arm|group)[\s-]+(?:n|sizes?|numbers?)\b[^.;:()]{0,30}?\bnot\s+(?:reported|given|stated)\b",
    re.IGNORECASE)


#: Words that say a quote's spread is a standard error: "mean (SE)", "± SEM", "S.E.",
#: "standard error". Abbreviations in capitals (or dotted), lest a word "se" count.
SE_WORDS = re.compile(r"(?<![A-Za-z])(?:SEM?|S\.E\.(?:M\.?)?|s\.e\.(?:m\.?)?)(?![A-Za-z])|(?i:\bstandard errors?\b)")
#: Two words whose initials are S and E just before "(": the quote defines "SE" as their
#: abbreviation ("Sleep efficiency (SE"), which says nothing of a spread.
_DEFINES_SE = re.compile(r"\b[Ss][\w-]*\s+[Ee][\w-]*\s*\($")
#: A year in a study's label: "Okafor et al. (2020)", "(presumed 2002)".
_LABEL_YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9][0-9])(?![0-9])")
#: Words that name quartiles, and words that name a range (not an interquartile one).
IQR_WORDS = re.compile(r"(?<![A-Za-z])(?:IQR|Q1)(?![A-Za-z0-9])|(?i:\binter-?\s?quartile\b|\bquartiles?\b)")
RANGE_WORDS = re.compile(r"(?i:(?<!quartile )(?<!quartile-)\brange\b|\bmin(?:imum)?\s*[-\u2013,/]\s*max(?:imum)?\b)")
#: Words that say it is a standard deviation.
SD_WORDS = re.compile(r"(?<![A-Za-z])(?:SDs?|S\.D\.?|s\.d\.?)(?![A-Za-z])|(?i:\bstandard deviations?\b)")

#: Instruments whose range is at least this wide are checked for values on a ten-times
#: smaller scale; on narrower ones (0-10, 0-24) scores near the bottom are common.
SMALLER_SCALE_MIN_RANGE = 50.0
#: The part of the range, from its bottom, that every final mean and SD of a study's
#: timepoint must fall in to be taken for values on a scale this much smaller.
SMALLER_SCALE_FRACTION = 0.1


#: The most one arm's size may be a multiple of another's at one timepoint without a
#: warning: 2:1 and 3:1 allocations occur, larger ratios hardly in randomised trials.
UNBALANCED_ARMS = 4.0

#: The cells of a result that its quote must show: the values themselves, a binary arm's
#: count of events among them (its responders are its result). Arm sizes, k and I² are
#: often printed elsewhere in a paper (a table's header, the flow chart) than the
#: sentence quoted, so they are not asked of it.
QUOTED_COLUMNS = ("mean", "sd", "se", "median", "q1", "q3", "min", "max", "events", "percent", "estimate", "ci_lb",
                  "ci_ub", "p_value")

#: A number as a source prints it: "−3.7", "1,872", ".39", "1·5" (a middle dot for the
#: decimal point), "10.3%", "1.2e-5", "1.2 × 10−5". Groups: the digits, a percent sign,
#: the exponent of either scientific form.
_QUOTE_NUMBER = re.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d*\.\d+|\d+)"
    r"(?:\s*(%)|[eE]([-+\u2212]?\d+)|\s*[x\u00d7]\s*10\^?([-+\u2212\u2013]?\d+))?")


#: A confidence interval named in a quote, with its level where printed ("95% CI",
#: "95 % confidence interval", "CI").
QUOTED_CI = re.compile(r"(?:\b(?P<level>\d{2}(?:\.\d+)?)\s*%\s*)?(?:\bCIs?\b|\bconfidence intervals?\b)",
                       re.IGNORECASE)


def quote_numbers(quote: str, *, as_proportions: bool = True) -> list[float]:
    """The numbers a quote prints, as magnitudes (the sign of a decrease is often in
    words): a percentage also as a proportion (3.4% as 0.034, for a risk difference)
    unless ``as_proportions`` is false, a number with thousands' commas also as the
    numbers between them ("10,120" may be a range), and scientific forms as their value."""
    text = quote.replace("\u00b7", ".").replace("\u22c5", ".")
    out: list[float] = []
    for m in _QUOTE_NUMBER.finditer(text):
        digits, percent, exp_e, exp_ten = m.groups()
        exponent = exp_e or exp_ten
        if "," in digits:
            out.extend(float(part) for part in digits.split(","))
        value = float(digits.replace(",", ""))
        if exponent is not None:
            out.append(value)  # the mantissa alone, as a cell may hold it
            value *= 10.0 ** int(exponent.replace("\u2212", "-").replace("\u2013", "-"))
        out.append(value)
        if percent and as_proportions:
            out.append(value / 100)
    return out


#: Dashes that may stand for a minus, or join the two ends of a range: hyphen, the
#: Unicode hyphens, figure dash, en and em dashes, minus, small and full-width hyphen-minus.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"
#: What may stand before a hyphen-minus that is a minus, not a range's hyphen ("to -0.02",
#: "(-0.25", "CI, -0.25", "=-0.3"): never a digit (nor a letter or "%": "12%-15%").
_MINUS_AFTER = re.compile(r"(?:^|[\s(\[,;:=])$")


def quote_signs(quote: str, value: float | None = None) -> list[tuple[str, str]]:
    """Each place ``quote`` prints a number (``value``'s magnitude when given) as it is
    printed, with its sign: ``"minus"`` for an unambiguous minus (U+2212 "−", or "-"
    right before the digits and after the start, a space, "(", "[", ",", ";", ":" or
    "="), ``"maybe"`` for another dash before it (a hyphen after a digit, "0.25-0.02",
    may join a range; an en dash, "– 1.21", may be either), ``"none"`` for no dash.

    Only numbers printed as such count: not a percentage read as a proportion, the parts
    of a number with thousands' commas, nor a scientific form (:func:`quote_numbers`
    reads those as magnitudes).

    >>> quote_signs("SMD, \u22120.13; 95% CI, \u22120.25 to -0.02", 0.02)
    [('-0.02', 'minus')]
    >>> quote_signs("95% CI 0.25-0.02", 0.02)
    [('-0.02', 'maybe')]
    """
    text = quote.replace("\u00b7", ".").replace("\u22c5", ".")
    out = []
    for m in _QUOTE_NUMBER.finditer(text):
        digits, _, exp_e, exp_ten = m.groups()
        if exp_e or exp_ten or (value is not None and not _in_quote(value, [float(digits.replace(",", ""))])):
            continue
        before = text[:m.start(1)]
        dash = before.rstrip()
        if before.endswith("\u2212") or (before.endswith("-") and _MINUS_AFTER.search(before[:-1])):
            out.append((before[-1] + digits, "minus"))
        elif dash and dash[-1] in _DASHES:
            out.append((before[len(dash) - 1:] + digits, "maybe"))
        else:
            out.append((digits, "none"))
    return out


#: A value with its spread as a quote prints it: "32.5 (18.4)", "−3.8 ± 1.2", "5.0 +/- 2.4".
QUOTED_PAIR = re.compile(r"(?<![\d.])(\d*\.?\d+)\s*(?:\(\s*(\d*\.?\d+)\s*\)|(?:\u00b1|\+/-|\+-)\s*(\d*\.?\d+))")


def quoted_pairs(quote: str) -> list[tuple[float, float]]:
    """The (value, spread) pairs a quote prints, as magnitudes: "32.5 (18.4)" and
    "32.5 ± 18.4" are (32.5, 18.4). An interval in brackets ("(28.1 to 36.9)") is no pair."""
    text = quote.replace("\u00b7", ".").replace("\u22c5", ".")
    return [(float(m.group(1)), float(m.group(2) or m.group(3))) for m in QUOTED_PAIR.finditer(text)]


def quote_percent(quote: str, value: float) -> str:
    """The percentage ``quote`` prints that ``value`` is as a proportion ("47.6%" for
    0.476), or "" when it prints none: a proportion typed where a percentage belongs."""
    for m in _QUOTE_NUMBER.finditer(quote.replace("\u00b7", ".").replace("\u22c5", ".")):
        digits, percent, exp_e, exp_ten = m.groups()
        if percent and not (exp_e or exp_ten) and _in_quote(value, [float(digits.replace(",", "")) / 100]):
            return f"{digits}%"
    return ""


def _in_quote(value: float, numbers: Sequence[float]) -> bool:
    """Whether ``value`` is one of ``numbers`` (:func:`quote_numbers`), as a magnitude."""
    size = abs(value)
    return any(math.isclose(size, x, rel_tol=1e-9, abs_tol=1e-12) for x in numbers)


#: Arm rows whose ``n`` counts the participants behind a contrast at the same timepoint.
_ARM_TYPES = ("final", "change", "percent_change", "events", "percent_responders")


def renamed_key(key: str, renamed: Mapping[str, str]) -> str:
    """A consistency warning's key, or a row reference, with each study of ``renamed``
    (old id to new id) under its new id: "value_not_in_quote contrasts.csv:Kwon2007#2
    estimate" reads "value_not_in_quote contrasts.csv:Kwon2008#2 estimate" once Kwon2007
    is renamed Kwon2008, the same check on the same row. Ids are replaced where a
    reference names them (``file:id#n``, or ``file:id(...)`` as :func:`row_identities`
    names a row), all at once: two studies renamed each other's ids are not renamed
    back."""
    if not renamed:
        return key
    ids = "|".join(re.escape(old) for old in sorted(renamed, key=len, reverse=True))
    # By place (":Kwon2007#2") or by what the row is (":Kwon2007(...)", row_identities).
    return re.sub(rf"(?<=:)({ids})(?=[#(])", lambda m: renamed[m.group(1)], key)


#: The key of a consistency warning on a GRADE rating, not on the raw numbers
#: (:func:`metareview.report.keys.grade_flag_warnings`), begins so.
GRADE_FLAG = "grade_flag"


def renamed_grade_key(key: str, renamed: Mapping[str, str]) -> str:
    """A consistency warning's key with the analysis of a warning on its GRADE rating
    (:data:`GRADE_FLAG`) under its new id, where ``renamed`` (old id to new id) renamed
    it: the same rating of the same analysis, not a warning raised anew. Any other key is
    returned as it is.

    >>> renamed_grade_key("grade_flag acu_sham imprecision", {"acu_sham": "acu_sham_pain"})
    'grade_flag acu_sham_pain imprecision'
    """
    parts = key.split(" ", 2)
    if len(parts) == 3 and parts[0] == GRADE_FLAG and parts[1] in renamed:
        return f"{GRADE_FLAG} {renamed[parts[1]]} {parts[2]}"
    return key


def _warnings_count(current: Mapping[str, str]) -> str:
    """"5 consistency warnings on the raw numbers", with "and 2 on GRADE ratings" where
    the report flags ratings its own facts question: those are not of the raw numbers."""
    graded = sum(1 for key in current if key.startswith(f"{GRADE_FLAG} "))
    raw = len(current) - graded
    on_ratings = "on a GRADE rating" if graded == 1 else "on GRADE ratings"
    if not raw:
        return f"{graded} consistency {'warning' if graded == 1 else 'warnings'} {on_ratings}"
    count = f"{raw} consistency {'warning' if raw == 1 else 'warnings'} on the raw numbers"
    return count + (f" and {graded} {on_ratings}" if graded else "")


def warnings_note(current: Mapping[str, str], previous: Mapping[str, str] | None, *, limit: int = 5,
                  renamed: Mapping[str, str] | None = None,
                  renamed_analyses: Mapping[str, str] | None = None) -> str:
    """What the end of a build prints about the consistency warnings ("" when none).

    ``current`` and ``previous`` are the ``warnings`` of this build's and the last build's
    key results (:func:`metareview.report.key_results`: key to text). A warning does not
    stop the build, and the report's table of them is far from its first page: the
    terminal says how many there are and shows in full those the last build did not
    raise (at most ``limit``), so that a number mistyped is seen when it is typed.
    ``renamed`` (old id to new id, the key results' ``renamed``) are the studies this
    build renamed: a warning on a renamed study's row is the one the last build raised,
    neither new nor settled, as the report's "What changed" reads it. So is one on the
    GRADE rating of an analysis of ``renamed_analyses`` (old id to new id, the key
    results' ``renamed_analyses``).
    """
    if previous is not None and renamed:
        previous = {renamed_key(key, renamed): text for key, text in previous.items()}
    if previous is not None and renamed_analyses:
        previous = {renamed_grade_key(key, renamed_analyses): text
                    for key, text in previous.items()}
    if not current:
        # The last warning fixed is news too: a team that corrected the cell would
        # otherwise see nothing said of it at the end of the build.
        settled = len(previous or {})
        gone = "the last build's one warning is" if settled == 1 else f"the last build's {settled} warnings are"
        return (f"No consistency warning on the raw numbers: {gone} no longer raised (What changed names "
                f"{'it' if settled == 1 else 'them'})." if settled else "")
    count = _warnings_count(current)
    where = "the report's table of consistency warnings"
    if previous is None:
        return f"{count}: see {where}."
    new = [text for key, text in current.items() if key not in previous]
    settled = sum(1 for key in previous if key not in current)
    # Not in the table, which lists this build's: What changed names them.
    gone = (f"; {settled} of the last build's no longer raised (What changed names "
            f"{'it' if settled == 1 else 'them'})" if settled else "")
    if not new:
        return f"{count}, none new since the last build{gone}: see {where}."
    lines = [f"{count}, {len(new)} new since the last build{gone} (all in {where}):"]
    lines += [f"  - {text}" for text in new[:limit]]
    if len(new) > limit:
        lines.append(f"  ... and {len(new) - limit} more")
    return "\n".join(lines)
