"""``fit_batch(tau2=)`` and ``subgroups(tau2=, weights=, weighted=)`` against metafor 3.8-1.

Reference: ``metafor_batch/*.json``, written by ``make_batch_fixtures.R`` on dat.bcg (log
risk ratios): ``rma(yi, vi, tau2 = ..., subset = s)`` for six subsets and every
estimator, and the subgroups by allocation, ``rma(yi, vi, subset = alloc == level, ...)``
and ``rma(yi, vi, mods = ~ factor(alloc), ...)`` with a given tau^2, given weights and
both, and unweighted (``weighted = FALSE``; also with a study of vi = 0). A given tau^2
leaves nothing to iterate (``closed``); a weighted or unweighted REML fit estimates
tau^2 (``tight``, metafor run to convergence).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import assert_close, for_quantity

from metareview.pool import fit_batch, subgroups

HERE = Path(__file__).parent / "metafor_batch"
BATCH = json.loads((HERE / "fit_batch.json").read_text(encoding="utf-8"))
SUB = json.loads((HERE / "subgroups.json").read_text(encoding="utf-8"))
UNW = json.loads((HERE / "subgroups_unweighted.json").read_text(encoding="utf-8"))
CONTROL = {"threshold": 1e-12, "maxiter": 10000}

#: metafor's field -> BatchFit's (zval holds the t statistic under knha)
_BATCH_FIELDS = {"estimate": "estimate", "se": "se", "stat": "zval", "df": "df", "pval": "pval",
                 "ci_lb": "ci_lb", "ci_ub": "ci_ub", "pi_lb": "pi_lb", "pi_ub": "pi_ub",
                 "tau2": "tau2", "se_tau2": "se_tau2", "I2": "I2", "H2": "H2", "QE": "QE",
                 "QEp": "QEp", "vt": "vt", "s2w": "s2w", "ll_ML": "ll_ML", "ll_REML": "ll_REML"}  # fmt: skip


def _masks() -> tuple[list[str], np.ndarray]:
    names = sorted(BATCH["subsets"])
    mask = np.zeros((len(names), len(BATCH["data"]["yi"])), dtype=bool)
    for r, name in enumerate(names):
        mask[r, np.array(BATCH["subsets"][name]) - 1] = True  # R's 1-based subset
    return names, mask


@pytest.mark.parametrize("fit", sorted(BATCH["fits"]))
def test_fit_batch_with_a_given_tau2_is_metafors_rma_of_each_subset(fit: str) -> None:
    ref = BATCH["fits"][fit]
    names, mask = _masks()
    d = BATCH["data"]
    bf = fit_batch(d["yi"], d["vi"], mask, method=ref["method"], test=ref["test"],
                   tau2=ref["tau2"], loglik=True)  # fmt: skip
    for r, name in enumerate(names):
        want = ref["subsets"][name]
        assert bf.k[r] == want["k"], name
        for theirs, ours in _BATCH_FIELDS.items():
            value = float(getattr(bf, ours)[r])
            if theirs.startswith("ll_") and abs(want[theirs]) < 1e-12:
                # one study: ll_REML is 0 up to rounding in both programs (-3e-31 in R)
                assert abs(value) < 1e-12, f"{fit} {name} {theirs}: {value}"
                continue
            assert_close(value, want[theirs], "closed", f"{fit} {name} {theirs}")


def test_fit_batch_of_an_fe_model_ignores_a_given_tau2_with_a_warning() -> None:
    d = BATCH["data"]
    _, mask = _masks()
    with pytest.warns(UserWarning, match="tau2 = 0.1 ignored: an FE model has no tau"):
        given = fit_batch(d["yi"], d["vi"], mask, method="FE", tau2=0.1)
    plain = fit_batch(d["yi"], d["vi"], mask, method="FE")
    for f in ("estimate", "se", "tau2", "QE"):
        np.testing.assert_array_equal(getattr(given, f), getattr(plain, f))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"weights": np.ones(13)}, "fit_batch takes no weights"),
     ({"tau2": -0.1}, "tau2 must be a finite value >= 0"),
     ({"tau2": "0.1x"}, "tau2 must be one number")],
)  # fmt: skip
def test_fit_batch_refuses_weights_and_a_tau2_that_is_no_variance(
    kwargs: dict[str, Any], message: str
) -> None:
    d = BATCH["data"]
    with pytest.raises(ValueError, match=message):
        fit_batch(d["yi"], d["vi"], **kwargs)


def test_fit_batch_without_tau2_still_estimates_it() -> None:
    # the default path is untouched: tau^2 estimated, its SE the estimator's
    d = BATCH["data"]
    _, mask = _masks()
    est = fit_batch(d["yi"], d["vi"], mask, method="DL")
    fixed = fit_batch(d["yi"], d["vi"], mask, method="DL", tau2=0.1)
    assert np.all(fixed.tau2 == 0.1) and not np.all(est.tau2 == 0.1)


#: metafor's field -> the RMAResult attribute
_SUB_FIELDS = {"estimate": "beta", "se": "se_beta", "pval": "pval_beta", "ci_lb": "ci_lb_beta",
               "ci_ub": "ci_ub_beta", "tau2": "tau2", "se_tau2": "se_tau2", "I2": "I2",
               "H2": "H2", "QE": "QE", "QEp": "QEp", "weights_pct": "weights", "QM": "QM",
               "QMp": "QMp"}  # fmt: skip


def _assert_model(res: Any, want: dict[str, Any], tol: str, what: str) -> None:
    assert res.k == want["k"] and res.df == want["df"] and list(res.QMdf) == want["QMdf"], what
    stat = res.zval_beta
    assert_close(stat, want["stat"], tol, f"{what}.stat")
    for theirs, ours in _SUB_FIELDS.items():
        assert_close(getattr(res, ours), want[theirs], for_quantity(tol, theirs), f"{what}.{theirs}")


@pytest.mark.parametrize("case", sorted(SUB["cases"]))
def test_subgroups_with_a_given_tau2_or_weights_are_metafors(case: str) -> None:
    ref = SUB["cases"][case]
    d = SUB["data"]
    res = subgroups(d["yi"], d["vi"], d["alloc"], method=ref["method"], test=ref["test"],
                    control=CONTROL, variable="alloc", tau2=ref["tau2"],
                    weights=d["ni"] if ref["weights"] else None)  # fmt: skip
    tol = "closed" if ref["tau2"] is not None or ref["method"] == "DL" else "tight"
    assert list(res.levels) == SUB["levels"]
    for lev in SUB["levels"]:
        _assert_model(res.fits[lev], ref["fits"][lev], tol, f"{case} {lev}")
        assert res.fits[lev].tau2_fix == (ref["tau2"] is not None)
    _assert_model(res.model, ref["model"], tol, f"{case} model")
    assert (res.QM, res.QMdf, res.QMp) == (res.model.QM, res.model.QMdf, res.model.QMp)


@pytest.mark.parametrize("case", sorted(UNW["cases"]))
def test_unweighted_subgroups_are_metafors(case: str) -> None:
    """rma(..., weighted = FALSE) per subgroup and for the mixed-effects model, whose QM
    is the test of subgroup differences; weights given beside it are not used."""
    ref = UNW["cases"][case]
    d = UNW["data"]
    with warnings.catch_warnings():
        # FE with knha, and the data with a study of vi = 0, warn as metafor does
        warnings.simplefilter("ignore")
        res = subgroups(d["yi"], d["vi0"] if ref["vi0"] else d["vi"], d["alloc"],
                        method=ref["method"], test=ref["test"], control=CONTROL,
                        variable="alloc", tau2=ref["tau2"],
                        weights=d["ni"] if ref["weights"] else None, weighted=False)  # fmt: skip
    tol = "tight" if ref["method"] == "REML" and ref["tau2"] is None else "closed"
    assert list(res.levels) == UNW["levels"]
    for lev in UNW["levels"]:
        assert not res.fits[lev].weighted
        _assert_model(res.fits[lev], ref["fits"][lev], tol, f"{case} {lev}")
    assert not res.model.weighted
    _assert_model(res.model, ref["model"], tol, f"{case} model")
    assert (res.QM, res.QMdf, res.QMp) == (res.model.QM, res.model.QMdf, res.model.QMp)


def test_subgroups_name_the_subgroup_whose_fit_fails() -> None:
    d = SUB["data"]
    # the two studies allocated alternately get weight 0: their fit has none to pool
    w = [0.0 if a == "alternate" else 1.0 for a in d["alloc"]]
    with pytest.raises(ValueError, match=r"^subgroup 'alternate' \(2 studies\): "):
        subgroups(d["yi"], d["vi"], d["alloc"], weights=w)
    with pytest.raises(ValueError, match="weights has 12 values for k = 13 studies"):
        subgroups(d["yi"], d["vi"], d["alloc"], weights=d["ni"][:12])


def test_subgroups_of_an_fe_analysis_warn_once_that_tau2_is_ignored() -> None:
    d = SUB["data"]
    with pytest.warns(UserWarning, match="ignored: an FE model has no tau") as caught:
        given = subgroups(d["yi"], d["vi"], d["alloc"], method="FE", tau2=0.05)
    assert len([w for w in caught if "ignored" in str(w.message)]) == 1
    plain = subgroups(d["yi"], d["vi"], d["alloc"], method="FE")
    assert given.to_dict() == plain.to_dict()
