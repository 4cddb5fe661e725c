"""The tolerance table of ``metafor_tolerances.py`` itself: documented, and applied as stated."""

from __future__ import annotations

import re

import metafor_tolerances
import pytest
from metafor_tolerances import (
    TOL,
    assert_close,
    assert_printed,
    for_quantity,
    half_unit,
    tight_i2_atol,
)


def test_every_entry_is_documented_with_its_reason() -> None:
    doc = metafor_tolerances.__doc__ or ""
    documented = set(re.findall(r"^``(\w+)``", doc, flags=re.MULTILINE))
    documented |= {n for line in re.findall(r"^``\w+``(?:, ``\w+``)+", doc, flags=re.MULTILINE)
                   for n in re.findall(r"``(\w+)``", line)}  # fmt: skip
    assert documented == set(TOL)


def test_the_project_requirements_are_met() -> None:
    # closed forms 1e-10 relative, iterative estimators 1e-8 against models_tight
    assert TOL["closed"][0] <= 1e-10 and TOL["elementary"][0] <= 1e-10
    assert all(TOL[name][0] <= 1e-8 for name in ("tight", "tight_tau2", "tight_I2"))


def test_closed_and_tight_want_metafors_zeros_exactly() -> None:
    assert_close(0.0, 0.0, "closed", "zero")
    with pytest.raises(AssertionError, match="tolerance closed"):
        assert_close(1e-17, 0.0, "closed", "zero")
    with pytest.raises(AssertionError):
        assert_close(1e-17, 0.0, "tight", "zero")
    assert_close(6e-13, 0.0, for_quantity("tight", "leave1out.tau2"), "tau2 at the boundary")


def test_for_quantity_refines_tight_and_the_deletion_diagnostics() -> None:
    assert for_quantity("tight", "confint.tau2_ub") == "tight_tau2"
    assert for_quantity("tight", "I2") == "tight_I2"
    assert for_quantity("tight", "estimate") == "tight"
    assert for_quantity("closed", "tau2") == "closed"
    assert for_quantity("closed", "dfbetas.intrcpt") == "closed_deletion"
    assert for_quantity("tight", "rstudent") == "tight_deletion"
    assert for_quantity("closed", "influence.cook_d") == "closed_cook"
    assert for_quantity("tight", "cook_d") == "tight_cook"
    assert for_quantity("emulated", "cook_d") == "emulated"
    assert for_quantity("closed", "cov_r") == "closed"


def test_the_cook_entries_follow_from_the_deletion_entries() -> None:
    # 2 sqrt(D) d <= rtol D + d^2 / rtol (AM-GM): Cook's absolute part is d^2 / rtol with d
    # the absolute part of the linear diagnostics
    for tol in ("closed", "tight"):
        rtol, atol = TOL[f"{tol}_deletion"]
        assert TOL[f"{tol}_cook"] == (rtol, pytest.approx(atol**2 / rtol, rel=1e-12))


def test_the_i2_absolute_part_follows_tau2s() -> None:
    assert tight_i2_atol(0.01) == pytest.approx(TOL["tight_I2"][1], rel=1e-12)
    assert tight_i2_atol(1e-4) == pytest.approx(1e-6, rel=1e-12)  # 100 * 1e-12 / 1e-4
    assert tight_i2_atol(1.0) == TOL["tight_I2"][1]


def test_half_a_unit_in_the_last_printed_digit() -> None:
    # by hand: 4 decimals -> 0.00005; 2 decimals at 1e-7 -> 0.005e-7
    assert half_unit("0.4894") == pytest.approx(5e-5, rel=1e-15)
    assert half_unit("-1.369033794") == pytest.approx(5e-10, rel=1e-15)
    assert half_unit("1.25e-07") == pytest.approx(5e-10, rel=1e-15)
    assert half_unit("12") == 0.5


def test_a_printed_number_allows_its_rounding_and_no_more() -> None:
    assert_printed(0.48944999, "0.4894", "closed", "rounded down")
    assert_printed(0.48935001, "0.4894", "closed", "rounded up")
    with pytest.raises(AssertionError, match="half a unit"):
        assert_printed(0.48946, "0.4894", "closed", "a digit off")
