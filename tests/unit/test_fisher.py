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
