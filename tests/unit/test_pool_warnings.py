"""Which calls warn about the data, and how often: as in metafor 3.8-1, a warning about
the data comes from the fit the user asked for, never once more per refit."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from typing import Any

import pytest

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
