"""A confidence level read as metafor reads it: 95, 0.95 and 0.05 all ask for a 95%
interval, and 1 for a 1% one (metafor 3.8-1's ``.level``).

Reference: ``metafor_level/levels.json``, written by ``make_level_fixtures.R`` with
metafor 3.8-1 on dat.bcg (log risk ratios), REML.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from metareview import rma
from metareview.arguments import alpha_from_level, level_percent
from metareview.bias import regtest
from metareview.effects import EffectSizes
from metareview.indirect import bucher

FIXTURE = json.loads((Path(__file__).parent / "metafor_level" / "levels.json").read_text(encoding="utf-8"))
YI = np.array(FIXTURE["data"]["yi"])
VI = np.array(FIXTURE["data"]["vi"])
CASES = FIXTURE["cases"]
CONTROL = {"threshold": 1e-12, "maxiter": 10000}
TOL = 1e-8


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_interval_at_a_level_of_each_reading_is_metafors(case: str) -> None:
    ref = CASES[case]
    level = ref["level"]
    z = rma(YI, VI, method="REML", level=level, control=CONTROL)
    np.testing.assert_allclose([float(np.ravel(z.ci_lb)[0]), float(np.ravel(z.ci_ub)[0])], [ref["z"]["ci_lb"], ref["z"]["ci_ub"]], rtol=TOL, atol=TOL)
    kh = rma(YI, VI, method="REML", test="knha", level=level, control=CONTROL)
    np.testing.assert_allclose([float(np.ravel(kh.ci_lb)[0]), float(np.ravel(kh.ci_ub)[0])], [ref["knha"]["ci_lb"], ref["knha"]["ci_ub"]],
                               rtol=TOL, atol=TOL)
    lb, ub = _wald(level)
    np.testing.assert_allclose(lb, ref["escalc"]["ci_lb"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ub, ref["escalc"]["ci_ub"], rtol=1e-12, atol=1e-12)
    if alpha_from_level(level) <= 0.5:
        # metafor's predict, confint and regtest read the model's stored alpha as a level
        # again: an alpha above 0.5 (a level below 50%) comes back as 1 - alpha, so for a
        # 1% model they give 99% intervals. Ours keep the model's level (docs/statistics.md).
        pr = z.predict()
        np.testing.assert_allclose([np.ravel(pr.pi_lb)[0], np.ravel(pr.pi_ub)[0]], [ref["z"]["pi_lb"], ref["z"]["pi_ub"]],
                                   rtol=TOL, atol=TOL)
        ci = z.confint()
        np.testing.assert_allclose([ci.tau2_ci_lb, ci.tau2_ci_ub], [ref["z"]["tau2_ci_lb"], ref["z"]["tau2_ci_ub"]],
                                   rtol=1e-6, atol=1e-8)
        rt = regtest(z)
        np.testing.assert_allclose([rt.ci_lb, rt.ci_ub], [ref["regtest"]["ci_lb"], ref["regtest"]["ci_ub"]],
                                   rtol=TOL, atol=TOL)


def _wald(level: float) -> tuple[np.ndarray, np.ndarray]:
    """Each study's Wald interval at ``level``, as metafor's summary.escalc gives it."""
    es = EffectSizes(yi=YI, vi=VI, measure="RR", ni=None, vtype=None)
    return es.conf_int(level)


def test_the_same_interval_for_95_and_its_two_other_readings() -> None:
    for level in (0.95, 0.05):
        assert alpha_from_level(level) == pytest.approx(0.05, abs=1e-15)
    assert alpha_from_level(95) == 0.05
    assert alpha_from_level(1) == 0.99  # a percentage: a 1% interval, as metafor
    assert alpha_from_level(0.7) == pytest.approx(0.3) and alpha_from_level(0.3) == 0.3
    # the percentage each reading stands for, as a prediction reports its level
    assert [level_percent(x) for x in (95, 0.95, 0.05, 1, 0.7, 0.3)] == [95.0, 95.0, 95.0, 1.0, 70.0, 70.0]
    assert rma(YI, VI, level=1).predict().level == 1.0  # the model's 1%, not metafor's 99%


@pytest.mark.parametrize("level", [0, -5, 100, 120, float("nan"), "ninety-five"])
def test_a_level_that_is_no_interval_is_refused_with_the_three_readings(level: object) -> None:
    with pytest.raises(ValueError, match=r"percentage in \[1, 100\), a proportion in \(0.5, 1\) or alpha in \(0, 0.5\]"
                       if not isinstance(level, str) else r"level must be a number"):
        rma(YI, VI, level=level)  # type: ignore[arg-type]


def test_bucher_reads_a_level_as_rma_does() -> None:
    # 1.959963984540054 = qnorm(0.975) in R; by hand: 0.3 -/+ z * sqrt(0.04 + 0.05)
    z = 1.959963984540054
    for level in (95, 0.95, 0.05):
        out = bucher(0.5, 0.04, 0.2, 0.05, level=level)
        assert out["ci_lb"] == pytest.approx(0.3 - z * 0.3, abs=1e-12)
        assert out["ci_ub"] == pytest.approx(0.3 + z * 0.3, abs=1e-12)
