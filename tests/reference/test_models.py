"""rma() against metafor 3.8-1: every fitted model and every quantity in the fixtures.

Each test walks through *all* keys of a fixture block and maps each one to our result;
a key without a mapping fails the test, so a quantity added to the fixtures cannot be
skipped silently. Tolerances come from the single table in ``metafor_tolerances.py``.

Two ways of comparing against blocks produced with metafor's default convergence:
the exact solver loosely (``loose``), and the emulation of metafor's own stopping
rules (``control=METAFOR_DEFAULTS``) tightly (``emulated``).
"""

from __future__ import annotations

import math
import warnings
from functools import cache
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import (
    CLOSED_FORM_METHODS,
    FIXTURE_FILES,
    TIGHT_EMULATION,
    assert_close,
    for_quantity,
    load_fixture,
)

from metareview.pool import METAFOR_DEFAULTS, RMAResult, rma, subgroups

SCALARS = (
    "estimate",
    "se",
    "zval",
    "tval",
    "pval",
    "ci_lb",
    "ci_ub",
    "pi_lb",
    "pi_ub",
    "tau2",
    "tau",
    "se_tau2",
    "I2",
    "H2",
    "QE",
    "QEp",
    "vt",
    "ll_ML",
    "ll_REML",
    "s2w",
)
CONFINT_KEYS = {
    "tau2_lb": "tau2_ci_lb",
    "tau2_ub": "tau2_ci_ub",
    "tau_lb": "tau_ci_lb",
    "tau_ub": "tau_ci_ub",
    "I2_lb": "I2_ci_lb",
    "I2_ub": "I2_ci_ub",
    "H2_lb": "H2_ci_lb",
    "H2_ub": "H2_ci_ub",
}


@cache
def fit(name: str, method: str, test: str = "z", control: str = "exact") -> RMAResult:
    d = load_fixture(name)
    con = {"exact": None, "default": METAFOR_DEFAULTS, "tight": TIGHT_EMULATION}[control]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rma(d["yi"], d["vi"], method=method, test=test, control=con)


def _params(block: str) -> list[Any]:
    out = []
    for name in FIXTURE_FILES:
        d = load_fixture(name)
        for method, ref in d.get(block, {}).items():
            if isinstance(ref, dict) and "estimate" in ref:
                out.append(pytest.param(name, method, id=f"{name}-{method}"))
    return out


def _check_block(res: RMAResult, ref: dict[str, Any], tol_of: Any, label: str) -> None:
    """Compare every key of a fixture model block; ``tol_of(key)`` names the tolerance."""
    errors: list[str] = []

    def check(ours: Any, theirs: Any, key: str) -> None:
        try:
            assert_close(ours, theirs, tol_of(key), f"{label}.{key}")
        except AssertionError as exc:
            errors.append(str(exc))

    for key, theirs in ref.items():
        if key in ("method", "test", "k"):
            if getattr(res, key) != theirs:
                errors.append(f"{label}.{key}: {getattr(res, key)!r} != {theirs!r}")
        elif key == "df":
            if res.df != theirs:
                errors.append(f"{label}.df: {res.df!r} != {theirs!r}")
        elif key in SCALARS:
            check(getattr(res, key), theirs, key)
        elif key == "weights_pct":
            check(res.weights, theirs, key)
        elif key == "predict":
            pr = res.predict()
            riley = res.predict(pi_type="riley")
            for pkey, pval in theirs.items():
                if pkey == "pi_riley_df":
                    if riley.pi_df != pval:
                        errors.append(f"{label}.predict.pi_riley_df: {riley.pi_df} != {pval}")
                elif pkey.startswith("pi_riley_"):
                    check(
                        getattr(riley, "pi_" + pkey.removeprefix("pi_riley_")),
                        pval,
                        "predict." + pkey,
                    )
                else:
                    check(getattr(pr, pkey), pval, "predict." + pkey)
        elif key == "confint":
            ci = res.confint()
            for ckey, cval in theirs.items():
                if ckey in ("lb_sign", "ub_sign", "ci_null"):
                    if getattr(ci, ckey) != cval:
                        errors.append(f"{label}.confint.{ckey}: {getattr(ci, ckey)!r} != {cval!r}")
                elif ckey == "tau2":
                    check(ci.tau2, cval, "tau2")
                elif ckey in CONFINT_KEYS:
                    check(getattr(ci, CONFINT_KEYS[ckey]), cval, "confint." + ckey)
                else:
                    errors.append(f"{label}.confint.{ckey}: quantity not mapped")
        else:
            errors.append(f"{label}.{key}: quantity not mapped")
    assert not errors, "\n".join(errors)


# --------------------------------------------------------------------------- models


@pytest.mark.parametrize(("name", "method"), _params("models"))
def test_models_emulating_metafor_defaults(name: str, method: str) -> None:
    """metafor's own algorithm reproduces every number of the default fits."""
    ref = load_fixture(name)["models"][method]
    res = fit(name, method, control="default")
    tol = "closed" if method in CLOSED_FORM_METHODS else "emulated"
    _check_block(
        res, ref, lambda key: "emulated" if key.startswith("confint.") else tol, f"{name}:{method}"
    )


@pytest.mark.parametrize(("name", "method"), _params("models"))
def test_models_exact_solver_loosely(name: str, method: str) -> None:
    """The exact solution lies within metafor's default convergence tolerance."""
    ref = dict(load_fixture(name)["models"][method])
    res = fit(name, method)
    closed = method in CLOSED_FORM_METHODS
    confint = ref.pop("confint", None)

    def tol_of(key: str) -> str:
        if closed:
            return "closed"
        if key in ("tau2", "tau"):
            return "loose_tau2"
        return "loose_bound" if key.endswith(("_lb", "_ub")) else "loose"

    _check_block(res, ref, tol_of, f"{name}:{method}")
    if confint is None:
        return
    # Q-profile bounds: metafor's uniroot stops within 2^-13 (absolute) of the root
    ci = res.confint()
    for bound in ("lb", "ub"):
        assert_close(
            getattr(ci, f"tau2_ci_{bound}"), confint[f"tau2_{bound}"], "loose_tau2", f"tau2_{bound}"
        )
        # metafor's derived bounds are the same transforms of its tau2 bound as ours
        t = confint[f"tau2_{bound}"]
        assert_close(100 * t / (res.vt + t), confint[f"I2_{bound}"], "closed", f"I2_{bound}")
        assert_close(t / res.vt + 1, confint[f"H2_{bound}"], "closed", f"H2_{bound}")
        assert_close(math.sqrt(t), confint[f"tau_{bound}"], "closed", f"tau_{bound}")
        assert getattr(ci, f"{bound}_sign") == confint[f"{bound}_sign"]
    assert ci.ci_null == confint["ci_null"]


@pytest.mark.parametrize(("name", "method"), _params("models_tight"))
def test_models_tight_exact_solver(name: str, method: str) -> None:
    """The exact root matches metafor run to 1e-12 at the project's 1e-8 requirement."""
    ref = load_fixture(name)["models_tight"][method]
    _check_block(fit(name, method), ref, lambda key: for_quantity("tight", key), f"{name}:{method}")


@pytest.mark.parametrize(("name", "method"), _params("models_tight"))
def test_models_tight_emulation(name: str, method: str) -> None:
    ref = load_fixture(name)["models_tight"][method]
    res = fit(name, method, control="tight")
    _check_block(res, ref, lambda key: "emulated", f"{name}:{method}")


def test_every_estimator_and_file_is_covered() -> None:
    methods = set()
    for name in FIXTURE_FILES:
        methods |= set(load_fixture(name)["models"])
    assert {"FE", "DL", "REML", "ML", "PM", "PMM", "HE", "SJ", "EB", "HS"} <= methods
    assert len(FIXTURE_FILES) == 9


def test_fe_and_ee_are_identical() -> None:
    d = load_fixture("dat.bcg__RR.json")
    fe = rma(d["yi"], d["vi"], method="FE").to_dict()
    ee = rma(d["yi"], d["vi"], method="EE").to_dict()
    fe.pop("method")
    ee.pop("method")
    assert fe == ee


# --------------------------------------------------------------------------- Knapp-Hartung


def _knha_params() -> list[Any]:
    return [
        pytest.param(name, key, id=f"{name}-{key}")
        for name in FIXTURE_FILES
        for key in load_fixture(name)["models_knha"]
    ]


@pytest.mark.parametrize(("name", "key"), _knha_params())
def test_models_knha(name: str, key: str) -> None:
    ref = load_fixture(name)["models_knha"][key]
    test = "t" if key == "REML_t" else "knha"
    res = fit(name, ref["method"], test=test, control="default")
    tol = "closed" if ref["method"] in CLOSED_FORM_METHODS else "emulated"
    _check_block(res, ref, lambda k: tol, f"{name}:{key}")
    assert res.tval is not None and res.zval == res.tval  # metafor's res$zval holds t
    assert res.df == res.k - 1
    if ref["method"] == "DL":  # closed form: the exact solver gives the same numbers
        _check_block(fit(name, "DL", test=test), ref, lambda k: "closed", f"{name}:{key}")


# --------------------------------------------------------------------------- meta-regression


def _metareg_params() -> list[Any]:
    return [
        pytest.param(name, test, id=f"{name}-{test}")
        for name in FIXTURE_FILES
        if "metareg" in load_fixture(name)
        for test in ("z", "knha")
    ]


@pytest.mark.parametrize(("name", "test"), _metareg_params())
def test_metareg(name: str, test: str) -> None:
    d = load_fixture(name)
    mr = d["metareg"]
    rows = np.asarray(mr["rows_used"]) - 1
    mod = np.asarray(d["input"][mr["moderator"]], dtype=float)[rows]
    y = np.asarray(d["yi"])[rows]
    v = np.asarray(d["vi"])[rows]
    res = rma(y, v, mods={mr["moderator"]: mod}, test=test, control=METAFOR_DEFAULTS)
    assert res.k == mr["k"]
    ref = mr[test]
    names = {
        "beta": "beta",
        "se": "se_beta",
        "zval": "zval_beta",
        "tval": "tval_beta",
        "pval": "pval_beta",
        "ci_lb": "ci_lb_beta",
        "ci_ub": "ci_ub_beta",
    }
    for key, theirs in ref.items():
        if key == "coef_names":
            assert list(res.coef_names) == theirs
        elif key == "QMdf":
            ours = list(res.QMdf) if test == "knha" else res.QMdf[0]
            assert ours == theirs
        elif key in ("k", "p", "df"):
            assert getattr(res, key) == theirs, key
        else:
            assert_close(
                getattr(res, names.get(key, key)), theirs, "emulated", f"{name}:{test}.{key}"
            )


# --------------------------------------------------------------------------- subgroups


def test_subgroup_bcg() -> None:
    for name in FIXTURE_FILES:
        d = load_fixture(name)
        if "subgroup" not in d:
            continue
        sg = d["subgroup"]
        groups = d["input"][sg["variable"]]
        res = subgroups(d["yi"], d["vi"], groups, control=METAFOR_DEFAULTS, variable=sg["variable"])
        assert list(res.levels) == sg["levels"]
        for level, ref in sg["fits"].items():
            part = res.fits[level]
            for key, theirs in ref.items():
                if key == "rows":
                    expected = [i + 1 for i, g in enumerate(groups) if g == level]
                    assert theirs == expected
                elif key == "k":
                    assert part.k == theirs
                else:
                    assert_close(getattr(part, key), theirs, "emulated", f"{name}:{level}.{key}")
        ref = sg["test"]
        model = res.model
        for key, theirs in ref.items():
            if key == "formula":
                assert theirs == f"~ factor({sg['variable']})"
            elif key == "coef_names":
                assert list(model.coef_names) == theirs
            elif key == "df":
                assert res.QMdf[0] == theirs
            else:
                ours = {"beta": model.beta, "se": model.se_beta}.get(key, getattr(model, key, None))
                assert_close(ours, theirs, "emulated", f"{name}:test.{key}")
        assert res.QM == model.QM and res.QMp == model.QMp
