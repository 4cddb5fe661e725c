"""(RE)ML meta-regression with a study of vi = 0 whose likelihood rises towards tau^2 = 0.

metafor 3.8-1 on these data (one moderator, x = 1..6, study 1 with vi = 0)::

    yi <- c(0.1, 0.2901, 0.2287, 0.0613, 0.7628, 0.9091)
    vi <- c(0, 0.0545, 0.0377, 0.0726, 0.0841, 0.0491)
    rma(yi, vi, mods = ~ I(1:6), method = "REML")

starts Fisher scoring at max(0, HE) = 0.0061 and halves its steps towards 0: with the
default threshold (1e-5) it stops at tau2 = 2.4920865331833581e-06, with threshold 1e-8 at
2.45e-09, and with threshold 1e-12 it fails ("Fisher scoring algorithm did not converge").
The restricted log-likelihood has no maximum at a positive tau^2, and at tau^2 = 0 study 1
would have an infinite weight: the exact solver refuses the fit with an error that names
the study, and metafor's own point is reproduced only by emulating its stopping rule.
"""

from __future__ import annotations

import warnings

import pytest
from metafor_tolerances import assert_close

from metareview.pool import METAFOR_DEFAULTS, rma

YI = [0.1, 0.2901, 0.2287, 0.0613, 0.7628, 0.9091]
VI = [0.0, 0.0545, 0.0377, 0.0726, 0.0841, 0.0491]
X = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
SLAB = ["Ames 2001", "Berg 2004", "Cole 2008", "Diaz 2010", "Eng 2015", "Fox 2019"]

#: metafor 3.8-1, default control: tau2, coefficients, their SEs and QM (17 digits).
METAFOR = {
    "REML": {
        "tau2": 2.4920865331833581e-06,
        "beta": [-0.029393851408539853, 0.129385914569304428],
        "se": [0.032544580340677316, 0.032485065187284098],
        "QM": 15.863774023813599,
    },
    "ML": {
        "tau2": 9.7246220572248668e-06,
        "beta": [-0.029423145275937992, 0.129392183028303576],
        "se": [0.032727262629244566, 0.032495742140925633],
        "QM": 15.854887340427737,
    },
}


@pytest.mark.parametrize("method", ["REML", "ML"])
def test_exact_solver_names_the_zero_variance_study(method: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # metafor's "non-positive sampling variances"
        with pytest.raises(ValueError) as err:
            rma(YI, VI, mods=X, method=method, slab=SLAB)
    msg = str(err.value)
    assert msg.startswith("division by zero computing the inverse-variance weights")
    assert "study 'Ames 2001' has sampling variance vi = 0" in msg
    assert "no maximum at a positive tau^2" in msg
    assert "leave it out" in msg


@pytest.mark.parametrize("method", ["REML", "ML"])
def test_the_error_comes_without_numpy_s_divide_by_zero_beside_it(method: str) -> None:
    # The solver reaches tau^2 = 0, where 1/(vi + tau^2) is infinite: the error says so and
    # names the study; a RuntimeWarning from numpy printed with it only adds noise.
    # On these data the solver's step lands on tau^2 = 0 itself.
    yi, vi = [0.1, 0.3, 0.2, 0.5, 0.4, 0.6], [0.0, 0.02, 0.03, 0.01, 0.02, 0.04]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="study 'Ames 2001' has sampling variance vi = 0"):
            rma(yi, vi, mods=X, method=method, slab=SLAB)
    assert [str(w.message) for w in seen if issubclass(w.category, RuntimeWarning)] == []


def test_without_labels_the_study_is_named_by_its_number() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="study '1' has sampling variance vi = 0"):
            rma(YI, VI, mods=X, method="REML")
        # an equal-effects fit gives it infinite weight whatever the data
        with pytest.raises(ValueError, match=r"study '1' has .* an equal-effects \(FE\) model"):
            rma(YI, VI, mods=X, method="FE")


@pytest.mark.parametrize("method", ["REML", "ML"])
def test_metafors_stopping_point_is_reproduced_by_emulation(method: str) -> None:
    ref = METAFOR[method]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = rma(YI, VI, mods=X, method=method, control=METAFOR_DEFAULTS)
    assert_close(res.tau2, ref["tau2"], "emulated", f"{method} tau2")
    assert_close(res.beta, ref["beta"], "emulated", f"{method} beta")
    assert_close(res.se_beta, ref["se"], "emulated", f"{method} se")
    assert_close(res.QM, ref["QM"], "emulated", f"{method} QM")
