"""Absolute effects per 1,000 at an assumed comparator risk (metareview.absolute)."""

from __future__ import annotations

import math

import pytest

from metareview.absolute import absolute_effect, comparator_risk, corresponding_risk


def test_corresponding_risks_by_hand() -> None:
    # Comparator risk 20%: RR 1.5 gives 30%; OR 2 gives 0.2 * 2 / (0.8 + 0.4) = 1/3; RD +0.1 gives 30%.
    assert corresponding_risk("RR", 1.5, 0.2) == pytest.approx(0.30, abs=1e-15)
    assert corresponding_risk("OR", 2.0, 0.2) == pytest.approx(1 / 3, abs=1e-15)
    assert corresponding_risk("RD", 0.1, 0.2) == pytest.approx(0.30, abs=1e-15)
    # An OR of 1 leaves the risk as it is, at any comparator risk.
    assert corresponding_risk("OR", 1.0, 0.37) == pytest.approx(0.37, abs=1e-15)
    with pytest.raises(ValueError, match="not 'SMD'"):
        corresponding_risk("SMD", 0.5, 0.2)
    with pytest.raises(ValueError, match="not a proportion"):
        corresponding_risk("RR", 1.5, 1.2)


def test_absolute_effect_from_log_ratios_and_bounds() -> None:
    e = absolute_effect("RR", math.log(1.5), math.log(1.2), math.log(2.0), 0.2)
    assert (e.comparator, e.intervention, e.intervention_lb, e.intervention_ub) == pytest.approx((200, 300, 240, 400))
    assert (e.difference, e.difference_lb, e.difference_ub) == pytest.approx((100, 40, 200))
    assert not e.capped
    # A risk difference is on its own scale, not logged; a harmful fall reads as negative.
    e = absolute_effect("RD", -0.05, -0.1, 0.0, 0.3)
    assert (e.intervention, e.difference_lb, e.difference_ub) == pytest.approx((250, -100, 0))


def test_a_risk_beyond_one_is_capped_and_said() -> None:
    e = absolute_effect("RR", math.log(1.5), math.log(0.9), math.log(3.0), 0.5)
    assert e.intervention == pytest.approx(750) and e.intervention_ub == 1000 and e.capped
    assert e.difference_ub == pytest.approx(500)


def test_a_risk_below_zero_is_capped_and_said() -> None:
    # ACR 20%, RD -0.1 (-0.3 to +0.05): the lower bound, 0.2 - 0.3 = -0.1, is no risk.
    e = absolute_effect("RD", -0.1, -0.3, 0.05, 0.2)
    assert (e.intervention, e.intervention_lb, e.intervention_ub) == pytest.approx((100, 0, 250))
    assert e.difference_lb == pytest.approx(-200) and e.capped


def test_absolute_effect_of_a_log_odds_ratio() -> None:
    # ACR 20%: OR 2 gives 0.4 / 1.2 = 1/3, OR 1 gives 0.2, OR 4 gives 0.8 / 1.6 = 0.5.
    e = absolute_effect("OR", math.log(2.0), 0.0, math.log(4.0), 0.2)
    assert (e.intervention, e.intervention_lb, e.intervention_ub) == pytest.approx((1000 / 3, 200, 500))
    assert (e.difference, e.difference_lb, e.difference_ub) == pytest.approx((1000 / 3 - 200, 0, 300))
    assert not e.capped


def test_the_comparator_risk_is_the_median_of_the_trials_that_give_it() -> None:
    studies = [{"events2": 10, "n2": 100}, {"events2": 30, "n2": 100}, {"events2": 4, "n2": 20},
               {"events2": None, "n2": 50}, {"events2": 3, "n2": None}]
    assert comparator_risk(studies) == pytest.approx(0.2)
    assert comparator_risk([{"events2": None, "n2": 50}]) is None
    assert comparator_risk([]) is None


def test_the_comparator_risk_is_a_median_not_a_mean_and_of_the_comparator_arm() -> None:
    # Risks 0.1, 0.2 and 0.9: median 0.2, mean 0.4. The intervention arms (events1, n1)
    # have other risks and must not be read.
    studies = [{"events1": 5, "n1": 10, "events2": 10, "n2": 100},
               {"events1": 5, "n1": 10, "events2": 20, "n2": 100},
               {"events1": 5, "n1": 10, "events2": 90, "n2": 100}]
    assert comparator_risk(studies) == pytest.approx(0.2)
