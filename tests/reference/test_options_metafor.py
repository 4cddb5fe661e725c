"""rma() with every estimator, test and level, against metafor 3.8-1 run to convergence.

``tests/reference/metafor_options/*.json`` are written by ``make_options_fixtures.R``:
on the data of the public fixtures, every tau^2 estimator with every test (z, t, knha,
adhoc; the example review runs REML with adhoc) at the 95% level and with z and adhoc at
90%, including ``predict()`` with each ``pi.type`` and the Q-profile ``confint()``; REML
with ``control = list(tau2.max = ...)``; ``leave1out``, ``cumul`` (also in a given
order) and ``influence`` for 14 estimator/test pairs; ``regtest`` and ``trimfill``
(L0, R0, Q0) for 11 pairs; meta-regressions (one and two moderators, a factor without intercept)
and subgroups with every estimator and test, predicted at new moderator values, with
the meta-regressions' ``influence``;
``fsn`` at other levels; and each study's own interval (``summary.escalc``).

The data are those of the public fixtures plus hand-made ones with k = 2, k = 3 and
tau^2 = 0. A block metafor refuses holds its error message; we must refuse it too.

metafor ran with ``threshold = tol = 1e-12``, so our exact solver is compared at the
``tight`` tolerance (relative 1e-8) and closed-form estimators at ``closed`` (1e-10); see
``metafor_tolerances.py``. Every key of a fixture block is mapped to one of ours; a key
without a mapping fails the test.
"""

from __future__ import annotations

import json
import math
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import CLOSED_FORM_METHODS, assert_close, for_quantity

from metareview import bias
from metareview.pool import RMAResult, rma

HERE = Path(__file__).parent / "metafor_options"
CASES = sorted(p.stem for p in HERE.glob("*.json") if not p.stem.startswith(("metareg_", "subgroup_")))
METAREG = sorted(p.stem for p in HERE.glob("metareg_*.json"))
METHODS = ("FE", "DL", "REML", "ML", "PM", "PMM", "HE", "SJ", "EB", "HS")
TESTS = ("z", "t", "knha", "adhoc")
CONFINT = ("tau2_lb", "tau2_ub", "tau_lb", "tau_ub", "I2_lb", "I2_ub", "H2_lb", "H2_ub")


@cache
def load(case: str) -> dict[str, Any]:
    with open(HERE / f"{case}.json", encoding="utf-8") as fh:
        return json.load(fh)


def tol_for(method: str) -> str:
    return "closed" if method in CLOSED_FORM_METHODS else "tight"


def fit(d: dict[str, Any], method: str, test: str, level: float = 95.0, **kwargs: Any) -> RMAResult:
    with warnings.catch_warnings():
        # Knapp-Hartung on an FE model, non-positive tau^2 bounds: warned, still computed
        warnings.simplefilter("ignore")
        return rma(d["yi"], d["vi"], method=method, test=test, level=level, **kwargs)


def check_model(res: RMAResult, ref: dict[str, Any], label: str, newmods: Any = None) -> None:
    """Compare every key of one fixture model block with ``res``."""
    tol = tol_for(ref["method"])
    errors: list[str] = []

    def close(ours: Any, theirs: Any, key: str, how: str = tol) -> None:
        try:
            assert_close(ours, theirs, how, f"{label}.{key}")
        except AssertionError as exc:
            errors.append(str(exc))

    def same(ours: Any, theirs: Any, key: str) -> None:
        if ours != theirs:
            errors.append(f"{label}.{key}: {ours!r} != metafor's {theirs!r}")

    stat = res.zval_beta
    ours = {"estimate": res.beta, "se": res.se_beta, "stat": stat, "pval": res.pval_beta,
            "ci_lb": res.ci_lb_beta, "ci_ub": res.ci_ub_beta, "weights_pct": res.weights}
    for key, theirs in ref.items():
        if key in ("method", "test", "k", "p"):
            same(getattr(res, key), theirs, key)
        elif key == "level":
            same(res.level, float(theirs), key)
        elif key == "df":
            same(res.df, theirs, key)
        elif key == "QMdf":
            same(list(res.QMdf) if res.test != "z" else [res.QMdf[0]], theirs if res.test != "z" else [theirs[0]],
                 key)
        elif key in ours:
            close(ours[key], theirs, key)
        elif key == "predict":
            for pi_type, block in theirs.items():
                pr = res.predict(newmods=newmods, pi_type=pi_type)
                for pkey, pval in block.items():
                    mine = getattr(pr, pkey)
                    if pkey == "pi_df":
                        # one df for every row (metafor repeats it per row)
                        same(None if mine is None else [mine] * len(np.atleast_1d(pr.pred)), pval,
                             f"{pi_type}.pi_df")
                    else:
                        close(None if mine is None else np.atleast_1d(mine), pval, f"predict.{pi_type}.{pkey}")
        elif key == "confint":
            check_confint(res, theirs, f"{label}.confint", errors)
        elif key == "influence":
            check_influence(res, theirs, f"{label}.influence", errors)
        else:
            close(getattr(res, key), theirs, key, for_quantity(tol, key))
    assert not errors, "\n".join(errors)


def check_influence(res: RMAResult, ref: dict[str, Any], label: str, errors: list[str]) -> None:
    """influence() of a meta-regression: every field, dfbetas per coefficient."""
    if "error" in ref:
        with pytest.raises(ValueError):
            res.influence()
        return
    tol = tol_for(res.method)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inf = res.influence()
    for field, theirs in ref.items():
        if field == "is_infl":
            if inf.is_infl.tolist() != theirs:
                errors.append(f"{label}.is_infl: {inf.is_infl.tolist()} != metafor's {theirs}")
            continue
        if field == "dfbetas" and isinstance(theirs, dict):  # one column per coefficient
            assert list(theirs) == list(res.coef_names) == list(inf.coef_names)
            pairs = [(f"dfbetas.{name}", inf.dfbetas[:, j], col) for j, (name, col) in enumerate(theirs.items())]
        elif field == "dfbetas":
            pairs = [(field, inf.dfbetas[:, 0], theirs)]
        else:
            pairs = [(field, getattr(inf, field), theirs)]
        for what, mine, expected in pairs:
            try:
                assert_close(mine, expected, for_quantity(tol, what), f"{label}.{what}")
            except AssertionError as exc:
                errors.append(str(exc))


def check_confint(res: RMAResult, ref: dict[str, Any], label: str, errors: list[str]) -> None:
    if "error" in ref:  # metafor refuses: so must we
        with pytest.raises(ValueError):
            res.confint()
        return
    ci = res.confint()
    for key, theirs in ref.items():
        if key in ("lb_sign", "ub_sign", "ci_null"):
            if getattr(ci, key) != theirs:
                errors.append(f"{label}.{key}: {getattr(ci, key)!r} != metafor's {theirs!r}")
            continue
        name, bound = key.rsplit("_", 1)
        try:
            # the bounds are roots of Q(tau2) = chi2 quantile found by uniroot to 1e-12
            # in metafor, and exactly here, whatever the estimator
            assert_close(getattr(ci, f"{name}_ci_{bound}"), theirs, for_quantity("tight", key), f"{label}.{key}")
        except AssertionError as exc:
            errors.append(str(exc))


# --------------------------------------------------------------------------- models


def _model_params() -> list[Any]:
    return [pytest.param(case, key, id=f"{case}-{key}") for case in CASES for key in load(case)["models"]]


def test_every_estimator_test_and_level_is_covered() -> None:
    assert len(CASES) == 9 and len(METAREG) == 4
    for case in CASES:
        keys = set(load(case)["models"])
        assert {f"{m}_{t}_95" for m in METHODS for t in TESTS} <= keys
        assert {f"{m}_{t}_90" for m in METHODS for t in ("z", "adhoc")} <= keys
        assert load(case)["metafor_version"] == "3.8.1"
    for case in METAREG:
        assert set(load(case)["models"]) == {f"{m}_{t}" for m in METHODS for t in TESTS}


@pytest.mark.parametrize(("case", "key"), _model_params())
def test_model(case: str, key: str) -> None:
    d = load(case)
    ref = d["models"][key]
    if "error" in ref:  # metafor refuses (an estimator that needs every vi > 0): so must we
        method, test, level = key.split("_")
        with pytest.raises(ValueError):
            fit(d, method, test, float(level))
        return
    res = fit(d, ref["method"], ref["test"], float(ref["level"]))
    check_model(res, ref, f"{case}:{key}")


def test_ee_is_fe() -> None:
    """metafor's EE and FE are the same model; only FE is in the fixtures."""
    d = load(CASES[0])
    for test in TESTS:
        fe, ee = fit(d, "FE", test).to_dict(), fit(d, "EE", test).to_dict()
        assert fe.pop("method") == "FE" and ee.pop("method") == "EE"
        assert fe == ee


@pytest.mark.parametrize("case", CASES)
def test_tau2_max(case: str) -> None:
    """``control = list(tau2.max = ...)`` ends the Q-profile search where metafor does."""
    d = load(case)
    for ref in d["tau2_max"].values():
        if ref["tau2"] is None:
            continue
        res = fit(d, "REML", "adhoc", control={"tau2_max": ref["tau2_max"]})
        assert_close(res.tau2, ref["tau2"], for_quantity("tight", "tau2"), f"{case}: tau2 with tau2_max={ref['tau2_max']}")
        errors: list[str] = []
        check_confint(res, ref["confint"], f"{case}:tau2_max={ref['tau2_max']}", errors)
        assert not errors, "\n".join(errors)


# --------------------------------------------------------------------------- meta-regression


def _metareg_params() -> list[Any]:
    return [pytest.param(case, key, id=f"{case}-{key}") for case in METAREG for key in load(case)["models"]]


@pytest.mark.parametrize(("case", "key"), _metareg_params())
def test_metareg(case: str, key: str) -> None:
    d = load(case)
    ref = d["models"][key]
    mods = {name: np.asarray(col, dtype=float) for name, col in d["mods"].items()}
    res = fit(d, ref["method"], ref["test"], mods=mods, intercept=d["intercept"])
    newmods = np.column_stack([np.asarray(col, dtype=float) for col in d["newmods"].values()])
    check_model(res, ref, f"{case}:{key}", newmods=newmods)


# --------------------------------------------------------------------------- diagnostics


def _diag_params() -> list[Any]:
    return [pytest.param(case, key, id=f"{case}-{key}") for case in CASES for key in load(case)["diagnostics"]]


SUBSET_KEYS = {"stat": "zval"}


def noise_fit(tau2: Any, vi: Any) -> bool:
    """A fit of metafor's whose tau^2 went to the boundary 0 while a study has vi = 0.

    The model is undefined there (that study's weight 1/(vi + tau^2) is infinite);
    metafor's Fisher scoring stops at tau^2 ~ 1e-29 and reports numbers of that noise
    (an SE of 1e-14), where we find tau^2 = 0 and report none.
    """
    return tau2 is not None and 0.0 < tau2 < 1e-20 and min(vi) == 0.0


def fit_as_metafor(d: dict[str, Any], ref: dict[str, Any]) -> Any:
    """The fit ``ref`` was made from, or None where metafor could not fit it (``ref``
    holds its error), after checking that we refuse it too."""
    if "error" in ref:
        with pytest.raises(ValueError):
            fit(d, ref["method"], ref["test"])
        return None
    return fit(d, ref["method"], ref["test"])


@pytest.mark.parametrize(("case", "key"), _diag_params())
def test_diagnostics(case: str, key: str) -> None:
    d = load(case)
    ref = d["diagnostics"][key]
    res = fit_as_metafor(d, ref)
    if res is None:
        return
    tol = tol_for(ref["method"])
    k = res.k
    calls = {"leave1out": res.leave1out, "cumul": res.cumul,
             "cumul_reversed": lambda: res.cumul(order=np.arange(k)[::-1]),
             "influence": res.influence}
    ours: dict[str, Any] = {}
    for block, call in calls.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if "error" in ref[block] and "NA/NaN/Inf in foreign function call" in ref[block]["error"]:
                # metafor's influence() records a deletion fit that fails (vi = 0 with
                # tau^2 = 0) as NA and then stops on the NA; our deletion fits are the
                # leave-one-out fits (compared below)
                assert_close(call().tau2_del, ours["leave1out"].tau2, "closed", f"{case}:{key}:tau2_del")
            elif "error" in ref[block]:  # metafor refuses: so must we
                with pytest.raises(ValueError):
                    call()
            else:
                ours[block] = call()
    errors: list[str] = []
    again = ref.get("positive_start")
    for block in ("leave1out", "cumul"):
        if again is None or block not in ours:
            continue
        # metafor's EB starts at max(0, HE): at 0 a study with vi = 0 has an infinite
        # weight and the refit fails (NA) even where the root tau^2 > 0 exists, which
        # metafor finds from tau2.init = 0.01. Where there is no positive root, both fail.
        theirs = again[block]
        failed = [t is None for t in ref[block]["tau2"]]
        rooted = [f and t is not None and t > 1e-9 for f, t in zip(failed, theirs["tau2"])]
        assert any(rooted), "the positive start recovers no refit: nothing checked"
        for field in ("tau2", "estimate", "se"):
            assert_close(getattr(ours[block], field)[rooted], np.asarray(theirs[field])[rooted].tolist(),
                         for_quantity("tight", field),
                         f"{case}:{key}:{block}.{field} from a positive start")
        unrooted = np.asarray(failed) & ~np.asarray(rooted)
        assert np.isnan(ours[block].estimate[unrooted]).all()
    for block in ("leave1out", "cumul", "cumul_reversed"):
        if block not in ours:
            continue
        for field, theirs in ref[block].items():
            if field == "order":
                if (ours[block].order + 1).tolist() != theirs:
                    errors.append(f"{case}:{key}:{block}.order")
                continue
            mine = getattr(ours[block], SUBSET_KEYS.get(field, field))
            if again is not None and block in again:  # the failed EB refits were checked above
                rerun = [t is None and e is not None for t, e in zip(ref[block]["tau2"], mine)]
                mine = np.where(rerun, np.nan, mine)
            noise = [noise_fit(t, d["vi"]) for t in ref[block]["tau2"] or ()]
            if any(noise):
                keep = ~np.asarray(noise)
                assert np.all(np.isnan(ours[block].estimate[~keep]) | (ours[block].tau2[~keep] < 1e-20))
                mine = np.asarray(mine)[keep]
                theirs = [t for t, n in zip(theirs, noise) if not n]
            if field == "tau2" and theirs is None:  # metafor has no tau2 column for FE fits
                assert ref["method"] == "FE" and np.all(mine == 0)
                continue
            try:
                assert_close(mine, theirs, for_quantity(tol, field), f"{case}:{key}:{block}.{field}")
            except AssertionError as exc:
                errors.append(str(exc))
    inf = ours.get("influence")
    for field, theirs in ref["influence"].items() if inf is not None else ():
        if field == "is_infl":
            if inf.is_infl.tolist() != theirs:
                errors.append(f"{case}:{key}:influence.is_infl {inf.is_infl.tolist()} != {theirs}")
            continue
        mine = inf.dfbetas[:, 0] if field == "dfbetas" else getattr(inf, field)
        try:
            assert_close(mine, theirs, for_quantity(tol, field), f"{case}:{key}:influence.{field}")
        except AssertionError as exc:
            errors.append(str(exc))
    assert not errors, "\n".join(errors)


# --------------------------------------------------------------------------- bias


def _bias_params() -> list[Any]:
    return [pytest.param(case, key, id=f"{case}-{key}") for case in CASES for key in load(case)["bias"]]


@pytest.mark.filterwarnings("ignore:the Knapp-Hartung method is not meant for FE models")
# metafor's warning on data with a study of vi = 0, given by the refits too
@pytest.mark.filterwarnings("ignore:Q-test, I\\^2 and H\\^2 are not computed:UserWarning")
@pytest.mark.filterwarnings("ignore:non-positive sampling variances:UserWarning")
@pytest.mark.parametrize(("case", "key"), _bias_params())
def test_bias_by_estimator_and_test(case: str, key: str) -> None:
    d = load(case)
    ref = d["bias"][key]
    res = fit_as_metafor(d, ref)
    if res is None:
        return
    tol = tol_for(ref["method"])
    for name in ("regtest_sei", "regtest_vi"):
        theirs = ref[name]
        if "error" not in theirs and noise_fit(theirs["tau2"], d["vi"]):
            with pytest.raises(ValueError, match="division by zero"):
                bias.regtest(res, predictor=name.removeprefix("regtest_"))  # type: ignore[arg-type]
            continue
        if "error" in theirs or theirs["stat"] is None:
            # metafor refuses, or (an FE fit of k = 2) fits two coefficients to two studies
            # and reports no statistic (df = 0): the test is undefined, and we refuse it
            with pytest.raises(ValueError, match="more studies than coefficients"):
                bias.regtest(res, predictor=name.removeprefix("regtest_"))  # type: ignore[arg-type]
            continue
        rt = bias.regtest(res, predictor=theirs["predictor"])
        assert (rt.method, rt.test, rt.df) == (theirs["method"], theirs["test"], theirs["df"])
        stat = rt.zval
        for field, mine in (("stat", stat), ("pval", rt.pval), ("est", rt.est), ("ci_lb", rt.ci_lb),
                            ("ci_ub", rt.ci_ub), ("slope", rt.slope), ("slope_se", rt.slope_se),
                            ("tau2", rt.tau2)):
            assert_close(mine, theirs[field], tol, f"{case}:{key}:{name}.{field}")
    for estimator, theirs in ref["trimfill"].items():
        what = f"{case}:{key}:trimfill {estimator}"
        if "error" in theirs:  # metafor refuses: so must we
            with pytest.raises((ValueError, RuntimeError)):
                bias.trimfill(res, estimator=estimator)  # type: ignore[arg-type]
            continue
        tf = bias.trimfill(res, estimator=estimator)  # type: ignore[arg-type]
        assert (tf.k0, tf.side, tf.k_total, tf.method, tf.test) == (
            theirs["k0"], theirs["side"], theirs["k_total"], theirs["method"], theirs["test"]), what
        assert tf.filled.tolist() == theirs["filled"], what
        assert tf.df == theirs["df"], what
        stat = tf.zval
        assert_close(stat, theirs["stat"], tol, f"{what}.stat")
        for field in ("se_k0", "estimate", "se", "pval", "ci_lb", "ci_ub", "tau2", "I2", "H2", "QE", "QEp",
                      "yi_aug", "vi_aug"):
            assert_close(getattr(tf, field), theirs[field], for_quantity(tol, field), f"{what}.{field}")


# --------------------------------------------------------------------------- the configured analysis


def _configured_methods() -> dict[str, Any]:
    import yaml

    root = Path(__file__).resolve().parents[2]
    return yaml.safe_load((root / "config" / "config.yaml").read_text(encoding="utf-8"))["methods"]


@pytest.mark.parametrize("case", CASES)
def test_configured_analysis_is_metafors(case: str) -> None:
    """What an analysis reports with the project's ``methods`` is metafor's, to 1e-8.

    ``metareview.analysis._fit`` is the path from the config to the pooled numbers,
    their Q-profile interval, the leave-one-out refits and the small-study test.
    """
    from metareview.analysis import _fit

    methods = {**_configured_methods(), "small_study_min": 3}
    d = load(case)
    key = f"{methods['method']}_{methods['test']}_{float(methods['level']):g}"
    ref = d["models"][key]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = _fit([{"study_id": f"S{i}", "yi": y, "vi": v} for i, (y, v) in enumerate(zip(d["yi"], d["vi"]))],
                   methods)
    tol = tol_for(ref["method"])
    assert (out["method"], out["test"], out["df"]) == (ref["method"], ref["test"], ref["df"])
    stat = out["zval"]
    for mine, theirs, what in (
        (out["estimate"], ref["estimate"][0], "estimate"), (out["se"], ref["se"][0], "se"),
        (stat, ref["stat"][0], "stat"), (out["pval"], ref["pval"][0], "pval"),
        (out["ci_lb"], ref["ci_lb"][0], "ci_lb"), (out["ci_ub"], ref["ci_ub"][0], "ci_ub"),
        (out["pi_lb"], ref["predict"]["default"]["pi_lb"][0], "pi_lb"),
        (out["pi_ub"], ref["predict"]["default"]["pi_ub"][0], "pi_ub"),
        (out["tau2"], ref["tau2"], "tau2"), (out["se_tau2"], ref["se_tau2"], "se_tau2"),
        (out["I2"], ref["I2"], "I2"), (out["H2"], ref["H2"], "H2"), (out["QE"], ref["QE"], "QE"),
        (out["QEp"], ref["QEp"], "QEp"),
        (out["weights"], d["models"][f"{methods['method']}_z_{float(methods['level']):g}"]["weights_pct"], "weights"),
    ):
        assert_close(mine, theirs, tol, f"{case}:{what}")
    for bound in ("lb", "ub"):
        for name in ("tau2", "I2", "H2"):
            # no interval where metafor refuses one (a study with vi = 0)
            theirs = None if "error" in ref["confint"] else ref["confint"][f"{name}_{bound}"]
            assert_close(out[f"{name}_ci_{bound}"], theirs, for_quantity("tight", f"{name}_{bound}"),
                         f"{case}:{name}_{bound}")
    if out["leave1out"] is None:  # each refit would pool fewer than three studies
        assert d["k"] < 4
    else:
        l1o = d["diagnostics"][f"{methods['method']}_{methods['test']}"]["leave1out"]
        for field in ("estimate", "se", "ci_lb", "ci_ub", "pval"):
            assert_close([row[field] for row in out["leave1out"]], l1o[field], tol, f"{case}:leave1out.{field}")
    if d["k"] < methods["small_study_min"]:
        assert out["regtest"] is None
        return
    rt = d["bias"][f"{methods['method']}_{methods['test']}"][f"regtest_{methods['small_study_predictor']}"]
    if "error" in rt:  # metafor cannot fit the regression (k = 2): the analysis says why
        assert out["regtest"] is None and out["regtest_error"]
        return
    stat = out["regtest"]["zval"]
    assert out["regtest"]["df"] == rt["df"]
    for mine, field in ((stat, "stat"), (out["regtest"]["pval"], "pval"), (out["regtest"]["slope"], "slope")):
        assert_close(mine, rt[field], tol, f"{case}:regtest.{field}")


# --------------------------------------------------------------------------- subgroups, fsn, study CIs

SUBGROUP = load("subgroup_bcg_alloc")


@pytest.mark.parametrize("key", list(SUBGROUP["fits"]))
def test_subgroups(key: str) -> None:
    from metareview.pool import subgroups

    ref = SUBGROUP["fits"][key]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = subgroups(SUBGROUP["yi"], SUBGROUP["vi"], SUBGROUP["groups"], method=ref["method"], test=ref["test"],
                        variable="alloc")
    tol = tol_for(ref["method"])
    assert list(res.levels) == list(ref["levels"])
    for level, theirs in ref["levels"].items():
        part = res.fits[level]
        stat = part.zval
        for field, expected in theirs.items():
            if field == "k":
                assert part.k == expected
                continue
            mine = stat if field == "stat" else getattr(part, field)
            assert_close(mine, expected, tol, f"{key}:{level}.{field}")
    assert_close(res.QM, ref["QM"], tol, f"{key}: QM")
    assert_close(res.QMp, ref["QMp"], tol, f"{key}: QMp")
    assert res.QMdf[0] == ref["QMdf"][0]
    if ref["test"] != "z":  # the F test's denominator df; metafor has none for a chi-square test
        assert res.QMdf[1] == ref["QMdf"][1]


@pytest.mark.parametrize("case", CASES)
def test_fsn_at_other_levels(case: str) -> None:
    d = load(case)
    for ref in d["fsn"].values():
        res = bias.fsn(d["yi"], d["vi"], alpha=ref["alpha"])
        if ref["fsnum"] is None:
            # metafor: N = Inf (written null) from a study with vi = 0 (an infinite z)
            assert np.any(np.asarray(d["vi"]) == 0), case
            assert res.fsnum == math.inf and res.pval == ref["pval"] == 0.0, case
            continue
        assert res.fsnum == ref["fsnum"], f"{case}: alpha {ref['alpha']}"
        assert_close(res.pval, ref["pval"], "closed", f"{case}: pval")


@pytest.mark.parametrize("case", CASES)
def test_study_intervals(case: str) -> None:
    """Each study's own interval (tables, forest plots) is metafor's summary.escalc one."""
    from metareview.analysis import _ci

    d = load(case)
    for ref in d["study_ci"].values():
        ours = [_ci(y, v, float(ref["level"])) for y, v in zip(d["yi"], d["vi"])]
        assert_close([lb for lb, _ in ours], ref["ci_lb"], "closed", f"{case}: ci_lb at {ref['level']}")
        assert_close([ub for _, ub in ours], ref["ci_ub"], "closed", f"{case}: ci_ub at {ref['level']}")
