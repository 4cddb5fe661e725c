"""Fisher's exact test against R's stats::fisher.test (tests/reference/make_fisher_fixtures.R)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from metareview.distributions import fisher_exact_p

FIXTURES = Path(__file__).resolve().parents[1] / "reference" / "fisher" / "fisher_exact.csv"
CASES = list(csv.DictReader(FIXTURES.read_text(encoding="utf-8").splitlines()))


@pytest.mark.parametrize("case", CASES, ids=[f"{c['a']}-{c['b']}-{c['c']}-{c['d']}" for c in CASES])
def test_fisher_exact_p_matches_r(case: dict[str, str]) -> None:
    a, b, c, d = (int(case[k]) for k in "abcd")
    assert fisher_exact_p(a, b, c, d) == pytest.approx(float(case["p"]), rel=1e-12, abs=1e-15)


def test_a_large_table_and_negative_counts() -> None:
    # Symmetric margins and the observed table at the centre: every table is as probable
    # or less, so p = 1; a table of thousands takes the log-probabilities' path at once.
    assert fisher_exact_p(1000, 1000, 1000, 1000) == pytest.approx(1.0, rel=1e-12)
    assert 0 <= fisher_exact_p(2, 9998, 5000, 5000) < 1e-300
    with pytest.raises(ValueError):
        fisher_exact_p(-1, 2, 3, 4)


def test_the_fragility_of_an_exact_finding_matches_r_at_each_step() -> None:
    from metareview.distributions import fisher_fragility

    # Carlsson 2001, 16 of 34 against 2 of 16 (R: p = 0.0263394093197): a third event in the
    # second arm gives p = 0.0677921620396, one fewer in the first 0.0525528339951; both undo
    # the finding with one event, and the tie goes to the event added.
    arm, k, p = fisher_fragility(16, 34, 2, 16)
    assert (arm, k) == (2, 1) and p == pytest.approx(0.0677921620396, rel=1e-10)
    # The arms the other way round: the same move, in the other arm.
    assert fisher_fragility(2, 16, 16, 34)[:2] == (1, 1)
    # 30 of 34 against 2 of 16: 9 of 16 still gives p = 0.0241032836049, 10 of 16 gives
    # 0.0563245208536, so 8 events; taking events from the first arm needs more.
    arm, k, p = fisher_fragility(30, 34, 2, 16)
    assert (arm, k) == (2, 8) and p == pytest.approx(0.0563245208536, rel=1e-10)
    # No finding to undo: p = 0.0525528339951 is not below 0.05.
    assert fisher_fragility(15, 34, 2, 16) is None
    with pytest.raises(ValueError):
        fisher_fragility(17, 16, 2, 16)
