"""Which calls warn about the data, and how often: as in metafor 3.8-1, a warning about
the data comes from the fit the user asked for, never once more per refit."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from metafor_tolerances import assert_printed

from metareview import cumul, influence, leave1out, regtest, rma, trimfill
from metareview.pool import _refits

# max(vi)/min(vi) = 1e8 >= 1e7: metafor's "Ratio of largest to smallest sampling variance
# extremely large" (rma.uni warns when max(vi)/min(vi) >= 1/evtol = 1e7)
YI = [0.05, 0.31, 0.52, 0.22, 0.71, 0.45, 0.88, 0.60]
VI = [1e-9, 0.02, 0.03, 0.05, 0.08, 0.04, 0.10, 0.06]
X = [1.0, 3.0, 2.0, 5.0, 4.0, 7.0, 6.0, 8.0]
RATIO = "ratio of largest to smallest sampling variance"


def _caught(call: Callable[[], Any]) -> tuple[Any, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = call()
    return out, [str(w.message) for w in caught]


# Counts of warnings from metafor 3.8-1, each call counted on its own:
#   cnt <- function(expr) { n <- 0; withCallingHandlers(expr, warning = function(w)
#     { n <<- n + 1; invokeRestart("muffleWarning") }); n }
#   yi <- c(0.05, 0.31, 0.52, 0.22, 0.71, 0.45, 0.88, 0.60)
#   vi <- c(1e-9, 0.02, 0.03, 0.05, 0.08, 0.04, 0.10, 0.06); x <- c(1, 3, 2, 5, 4, 7, 6, 8)
#   res <- rma(yi, vi)                                  # 1
#   leave1out(res); cumul(res); influence(res)          # 0, 0, 0
#   trimfill(res)                                       # 0 (k0 = 3, side "left")
#   regtest(res)                                        # 1 (its own rma.uni fit)
#   resm <- rma(yi, vi, mods = ~ x); influence(resm)    # 1, 0
#   rk <- rma(yi, vi, mods = ~ x, method = "FE", test = "knha"); influence(rk)   # 2, 0
def test_the_variance_ratio_warning_comes_once_per_call_as_in_metafor() -> None:
    res, msgs = _caught(lambda: rma(YI, VI))
    assert len(msgs) == 1 and RATIO in msgs[0]
    for call in (leave1out, cumul, influence):
        assert _caught(lambda call=call: call(res))[1] == [], call.__name__
    tf, msgs = _caught(lambda: trimfill(res))
    assert (tf.k0, tf.side, msgs) == (3, "left", [])  # k0 > 0: the filled data were refitted
    _, msgs = _caught(lambda: regtest(res))
    assert len(msgs) == 1 and RATIO in msgs[0]
    # a meta-regression: not again from the model without moderators behind R^2
    resm, msgs = _caught(lambda: rma(YI, VI, mods=X))
    assert len(msgs) == 1 and RATIO in msgs[0]
    assert _caught(lambda: influence(resm))[1] == []
    # the Knapp-Hartung warning of an FE model is the model's, not each deletion fit's
    rk, msgs = _caught(lambda: rma(YI, VI, mods=X, method="FE", test="knha"))
    assert len(msgs) == 2
    assert _caught(lambda: influence(rk))[1] == []


def test_refits_silence_only_their_own_block_and_thread() -> None:
    with _refits():
        assert _caught(lambda: rma(YI, VI))[1] == []
        # another thread has its own context: its fits still warn
        seen: list[list[str]] = []
        t = threading.Thread(target=lambda: seen.append(_caught(lambda: rma(YI, VI))[1]))
        t.start()
        t.join()
        assert len(seen[0]) == 1
    assert len(_caught(lambda: rma(YI, VI))[1]) == 1
    # an error inside the block does not leave the warnings off
    with pytest.raises(ValueError), _refits():
        rma(YI, VI[:-1])
    assert len(_caught(lambda: rma(YI, VI))[1]) == 1


# metafor 3.8-1, silent for every method that accepts vi = 0 everywhere:
#   yi <- c(0.1, 0.3, 0.5, 0.2, -0.1, 0.4)
#   withCallingHandlers(rma(yi, rep(0, 6), method = m), warning = function(w) stop("warned"))
#   # tau2: REML, HE, SJ, EB 0.0466667, ML 0.0388889; QE, QEp, I2, H2: NA
#   rma(yi, rep(0, 6), mods = ~ I(0:5))$tau2    # 0.0583333, QE NA, silently
# By hand: mean 1.4/6, sum of squared deviations 0.2333333 (= 0.0177778 + 0.0044444 +
# 0.0711111 + 0.0011111 + 0.1111111 + 0.0277778), so tau^2 = 0.2333333/5 (ML: /6); on
# x = 0..5 the slope is 0 (sum (x - 2.5) y = 0), so the residual SS is the same over k - 2.
@pytest.mark.parametrize(
    ("method", "tau2"),
    [("REML", 0.7 / 15), ("ML", 0.7 / 18), ("HE", 0.7 / 15), ("SJ", 0.7 / 15), ("EB", 0.7 / 15)],
)
def test_all_zero_variances_leave_q_undefined_without_a_warning(method: str, tau2: float) -> None:
    yi = [0.1, 0.3, 0.5, 0.2, -0.1, 0.4]
    res, msgs = _caught(lambda: rma(yi, [0.0] * 6, method=method))
    assert msgs == []
    assert res.tau2 == pytest.approx(tau2, rel=1e-10)
    assert (res.QE, res.QEp, res.I2, res.H2) == (None, None, None, None)
    if method == "REML":
        reg, msgs = _caught(lambda: rma(yi, [0.0] * 6, mods=[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]))
        assert msgs == []
        assert reg.tau2 == pytest.approx(0.7 / 12, rel=1e-10)
        assert (reg.QE, reg.QEp, reg.I2, reg.H2) == (None, None, None, None)


def test_some_zero_variances_still_say_q_is_not_computed() -> None:
    # metafor 3.8-1: rma(yi, c(0, 0.02, 0.03, 0.05, 0.04, 0.01)) warns "Cannot compute
    # Q-test, I^2, or H^2 when there are non-positive sampling variances in the data."
    vi = [0.0, 0.02, 0.03, 0.05, 0.04, 0.01]
    res, msgs = _caught(lambda: rma([0.1, 0.3, 0.5, 0.2, -0.1, 0.4], vi))
    assert any("not computed when some sampling variances are 0" in m for m in msgs)
    assert res.QE is None


# metafor 3.8-1, one vi = 0 of six:
#   yi <- c(0.1, 0.3, 0.5, 0.2, 0.4, 0.9); vi <- c(0, 0.02, 0.03, 0.04, 0.05, 0.01)
#   rma(yi, vi, method = m)
# warns "There are outcomes with non-positive sampling variances." first, for every m;
# then FE/EE stop ("Division by zero ..."), DL, PM, PMM and HS stop ("... estimator cannot
# be used when there are non-positive sampling variances"), and REML, ML, HE, SJ, EB fit
# with a second warning ("Cannot compute Q-test, I^2, or H^2 ..."). HE by hand: mean 0.4,
# squared deviations 0.09 + 0.01 + 0.01 + 0.04 + 0 + 0.25 = 0.40, sum vi = 0.15, so
# tau^2 = (0.40 - 0.15 (k - 1)/k) / (k - 1) = (0.40 - 0.125) / 5 = 0.055 (metafor 0.055).
ZERO_YI = [0.1, 0.3, 0.5, 0.2, 0.4, 0.9]
ZERO_VI = [0.0, 0.02, 0.03, 0.04, 0.05, 0.01]
NONPOS = "non-positive sampling variances: vi = 0 in 1 of 6 studies (indices [0])"


@pytest.mark.parametrize("method", ["REML", "ML", "HE", "SJ", "EB"])
def test_some_zero_variances_warn_first_as_metafor_does(method: str) -> None:
    res, msgs = _caught(lambda: rma(ZERO_YI, ZERO_VI, method=method))
    assert len(msgs) == 2
    assert msgs[0] == NONPOS
    assert "not computed when some sampling variances are 0" in msgs[1]
    if method == "HE":
        assert res.tau2 == pytest.approx(0.055, rel=1e-12)


@pytest.mark.parametrize("method", ["FE", "EE", "DL", "PM", "PMM", "HS"])
def test_the_warning_comes_before_an_estimator_refuses(method: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="division by zero|needs all sampling variances"):
            rma(ZERO_YI, ZERO_VI, method=method)
    assert [str(w.message) for w in caught] == [NONPOS]


def test_the_zero_variance_warning_is_the_fits_not_each_refits() -> None:
    # metafor: rma(yi, vi, mods = ~ I(c(1, 3, 2, 5, 4, 6)), method = "HE") warns twice
    # (tau2 0.03557143); leave1out, cumul and influence of the HE fit are silent
    res, msgs = _caught(lambda: rma(ZERO_YI, ZERO_VI, mods=[1.0, 3.0, 2.0, 5.0, 4.0, 6.0], method="HE"))
    assert msgs[0] == NONPOS and len(msgs) == 2  # not again from R^2's model
    assert_printed(res.tau2, "0.03557143", "closed", "tau2")
    fit, _ = _caught(lambda: rma(ZERO_YI, ZERO_VI, method="HE"))
    for call in (leave1out, cumul, influence):
        assert _caught(lambda call=call: call(fit))[1] == [], call.__name__
