"""escalc and conversions against metafor 3.8-1 (effect-size conversion fixtures).

Every case of every JSON file in ``tests/reference/metafor_conversions/`` (copies of the
shared metafor-conversions fixtures) and ``.../extra/`` (the project's own, written by
``extra/make_escalc_extra_refs.R``) is run here. Non-composed cases hold one
``escalc(...)`` call, which is parsed and replayed with the same arguments; composed
cases (several R statements) are mirrored statement by statement below.

Tolerance: ``closed`` of ``metafor_tolerances.py`` for ``yi``/``vi`` and the SMD details
(closed forms; the only non-elementary function is lgamma in the correction factor J, and
R and scipy agree on it to ~1e-15). Missing values must sit in exactly the same places as
R's ``NA``.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import assert_close

from metareview.conversions import (
    combine_arm_changes,
    d_from_t,
    sd_change,
    smd_from_d,
    smd_from_t,
    t_from_p,
)
from metareview.effects import EscalcWarning, escalc

FIXTURES = Path(__file__).parent / "metafor_conversions"


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


FILES = sorted(p for p in FIXTURES.glob("*.json") if p.name != "metafor_features.json")
FILES += sorted((FIXTURES / "extra").glob("*.json"))
CASES = [
    pytest.param(path, case["id"], id=f"{path.stem}:{case['id']}")
    for path in FILES
    for case in _load(path)["cases"]
]


def test_fixture_set_complete() -> None:
    # guards against a silently empty parametrisation (e.g. fixtures not copied)
    names = {p.name for p in FILES}
    assert {
        "binary_no_zero_cells.json",
        "binary_zero_cells__OR.json",
        "binary_zero_cells__RD.json",
        "binary_zero_cells__RR.json",
        "smc_single_group.json",
        "smc_two_group.json",
        "smd_from_d.json",
        "smd_from_t_p.json",
        "smd_means_vtypes.json",
        "smd_mixed_inputs.json",
        "extra_md_rom.json",
        "extra_rom_missing.json",
        "extra_proportions.json",
        "extra_zcor.json",
        "extra_change_edge.json",
        "extra_binary_paths.json",
        "extra_smd_small_samples.json",
        "extra_smd_zero_sd.json",
    } <= names
    assert len(CASES) >= 120


# --- replaying an R call -----------------------------------------------------------------


def _split_args(text: str) -> list[str]:
    """Split an argument list at top-level commas (outside quotes and parentheses)."""
    parts, depth, quote, start = [], 0, None, 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _column(data: dict[str, list[Any]], name: str) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in data[name]], dtype=float)


def _value(expr: str, data: dict[str, list[Any]]) -> Any:
    k = len(data["study"])
    expr = expr.strip()
    if m := re.fullmatch(r'"([^"]*)"', expr):
        return m.group(1)
    if expr in ("TRUE", "FALSE"):
        return expr == "TRUE"
    if re.fullmatch(r"-?\d+(\.\d*)?", expr):
        return float(expr)
    if m := re.fullmatch(r"rep\(c\((.*)\),\s*length\.out=nrow\(dat\)\)", expr):
        items = [s.strip().strip('"') for s in m.group(1).split(",")]
        return [items[i % len(items)] for i in range(k)]
    if re.fullmatch(r"\w+", expr):
        return _column(data, expr)
    if m := re.fullmatch(r"(\w+)\s*-\s*(\w+)", expr):
        return _column(data, m.group(1)) - _column(data, m.group(2))
    if m := re.fullmatch(r"dat\$(\w+)", expr):
        return _column(data, m.group(1))
    raise NotImplementedError(f"cannot replay R expression {expr!r}")


def parse_escalc_call(code: str, data: dict[str, list[Any]]) -> dict[str, Any]:
    """``escalc(measure="X", a=b, ..., data=dat)`` -> keyword arguments for escalc()."""
    m = re.fullmatch(r"\s*(?:\w+\s*<-\s*)?escalc\((.*)\)\s*", code, flags=re.DOTALL)
    assert m, f"not an escalc call: {code}"
    kwargs = {}
    for arg in _split_args(m.group(1)):
        name, _, expr = arg.partition("=")
        name = name.strip()
        if name == "data":
            continue
        kwargs[name] = _value(expr, data)
    return kwargs


def _replay(code: str, data: dict[str, list[Any]]):
    kwargs = parse_escalc_call(code, data)
    measure = kwargs.pop("measure")
    return escalc(measure, **kwargs)


# --- comparison --------------------------------------------------------------------------


def _ref(values: list[Any]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def assert_matches(actual: np.ndarray, expected: list[Any], what: str) -> None:
    # NA positions must agree too (checked by assert_close)
    assert_close(np.asarray(actual, dtype=float), _ref(expected), "closed", what)


def _normalise(message: str) -> str:
    return " ".join(message.split())


# --- composed cases (several R statements) -------------------------------------------------


def _composed_smc_two_group(case: dict[str, Any], data: dict[str, list[Any]]) -> dict[str, Any]:
    if case["id"] in ("SMCR_diff_sdpre", "SMCC_diff"):
        es_t = _replay(case["r_code"][0], data)
        es_c = _replay(case["r_code"][1], data)
        diff = combine_arm_changes(es_t, es_c)
        return {
            "yi": diff.yi,
            "vi": diff.vi,
            "yi_t": es_t.yi,
            "vi_t": es_t.vi,
            "yi_c": es_c.yi,
            "vi_c": es_c.vi,
        }
    if case["id"] == "SMD_of_change_scores":
        col = lambda name: _column(data, name)
        sd_t = sd_change(col("sd_pre_t"), col("sd_post_t"), col("r_t"))
        sd_c = sd_change(col("sd_pre_c"), col("sd_post_c"), col("r_c"))
        es = escalc(
            "SMD",
            m1i=col("m_post_t") - col("m_pre_t"),
            sd1i=sd_t,
            n1i=col("n_t"),
            m2i=col("m_post_c") - col("m_pre_c"),
            sd2i=sd_c,
            n2i=col("n_c"),
        )
        return {"yi": es.yi, "vi": es.vi, "sd_change_t": sd_t, "sd_change_c": sd_c}
    raise AssertionError(f"no replay for composed case {case['id']}")


def _composed_smd_from_t_p(case: dict[str, Any], data: dict[str, list[Any]]) -> dict[str, Any]:
    assert case["id"] == "SMD_from_p_two_sided"
    n1, n2 = _column(data, "n1i"), _column(data, "n2i")
    t = _column(data, "direction") * t_from_p(_column(data, "pval"), n1 + n2 - 2, two_sided=True)
    es = smd_from_t(t, n1, n2)
    return {"yi": es.yi, "vi": es.vi, "t_from_p": t}


COMPOSED = {"smc_two_group": _composed_smc_two_group, "smd_from_t_p": _composed_smd_from_t_p}


# --- the test ------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "case_id"), CASES)
def test_case(path: Path, case_id: str) -> None:
    fixture = _load(path)
    case = next(c for c in fixture["cases"] if c["id"] == case_id)
    data = fixture["input"]
    # metafor's messages and R's "NaNs produced" from log() of a negative mean, which
    # escalc passes on as metafor's does
    r_warnings = set(case["warnings"])

    if "error" in case:
        code = case["r_code"][-1]
        kwargs = parse_escalc_call(code, data)
        measure = kwargs.pop("measure")
        if "pi" in kwargs:
            # metafor 3.8-1 has no p-value argument: R drops it with a warning and then
            # has nothing to compute from. Python rejects the unknown keyword outright,
            # and without it the same "cannot compute" error follows.
            with pytest.raises(TypeError):
                escalc(measure, **kwargs)
            kwargs.pop("pi")
        with pytest.raises(ValueError) as excinfo:
            escalc(measure, **kwargs)
        assert _normalise(case["error"]) in _normalise(str(excinfo.value))
        return

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if case["composed"]:
            outputs = COMPOSED[path.stem](case, data)
            es = None
        else:
            es = _replay(case["r_code"][0], data)
            outputs = {"yi": es.yi, "vi": es.vi}
            if "ni" in case["output"]:
                outputs["ni"] = es.ni
    ours = {str(w.message) for w in caught if issubclass(w.category, EscalcWarning)}
    assert ours == r_warnings
    if es is not None:
        assert set(es.warnings) == r_warnings

    assert set(outputs) == set(case["output"]), "every R output has a Python counterpart"
    for key, expected in case["output"].items():
        assert_matches(outputs[key], expected, f"{path.stem}:{case_id}:{key}")


# --- generator details (the fixture's reconstruction of intermediate quantities) ----------


def _details(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    fixture = _load(FIXTURES / name)
    return fixture, fixture["details"]


@pytest.mark.parametrize("name", ["smd_means_vtypes.json", "smd_from_d.json"])
def test_smd_details(name: str) -> None:
    fixture, details = _details(name)
    es = _replay(fixture["cases"][0]["r_code"][0], fixture["input"])
    assert_matches(es.details["df"], details["df"], "df")
    assert_matches(es.details["correction_factor"], details["correction_factor"], "J")
    assert_matches(es.details["d_uncorrected"], details["d_uncorrected"], "d")
    if "sd_pooled" in details:
        assert_matches(es.details["sd_pooled"], details["sd_pooled"], "sd_pooled")
    av = next(c for c in fixture["cases"] if c["id"] == "SMD_AV")
    es_av = _replay(av["r_code"][0], fixture["input"])
    # vi = 1/n1 + 1/n2 + gbar^2 / (2 (n1 + n2)) with metafor's weighted mean g (compared
    # as vi: recovering gbar from vi would subtract nearly equal numbers)
    n1, n2 = _column(fixture["input"], "n1i"), _column(fixture["input"], "n2i")
    gbar = np.asarray(details["av_weighted_mean_g"], dtype=float)
    expected_vi = 1 / n1 + 1 / n2 + gbar**2 / (2 * (n1 + n2))
    assert_close(es_av.vi, expected_vi, "closed", "vi from the weighted mean g")


def test_smd_from_d_helper_is_the_di_path() -> None:
    fixture, _ = _details("smd_from_d.json")
    data = fixture["input"]
    for case in fixture["cases"]:
        vtype = case["settings"]["vtype"]
        if vtype.startswith("rep("):
            continue
        es = smd_from_d(
            _column(data, "di"), _column(data, "n1i"), _column(data, "n2i"), vtype=vtype
        )
        assert_matches(es.yi, case["output"]["yi"], case["id"])
        assert_matches(es.vi, case["output"]["vi"], case["id"])


def test_d_from_t_details() -> None:
    fixture, details = _details("smd_from_t_p.json")
    data = fixture["input"]
    d = d_from_t(_column(data, "ti"), _column(data, "n1i"), _column(data, "n2i"))
    assert_matches(d, details["d_uncorrected_from_t"], "d from t")
    es = _replay(fixture["cases"][0]["r_code"][0], data)
    assert_matches(es.details["correction_factor"], details["correction_factor"], "J")
    assert es.source == ("ti",) * fixture["k"]


def test_change_score_details() -> None:
    fixture, details = _details("smc_single_group.json")
    data = fixture["input"]
    by_id = {c["id"]: c for c in fixture["cases"]}
    smcc = _replay(by_id["SMCC_LS"]["r_code"][0], data)
    assert_matches(smcc.details["df"], details["df"], "df")
    assert_matches(smcc.details["correction_factor"], details["correction_factor"], "J")
    assert_matches(smcc.details["sd_change"], details["sd_change"], "sd_change")
    assert_matches(smcc.details["d_uncorrected"], details["d_change_uncorrected"], "d change")
    assert_matches(
        sd_change(_column(data, "sd_pre"), _column(data, "sd_post"), _column(data, "ri")),
        details["sd_change"],
        "sd_change helper",
    )
    post = _replay(by_id["SMCR_LS_sd1post"]["r_code"][0], data)
    pre = _replay(by_id["SMCR_LS_sd1pre"]["r_code"][0], data)
    assert_matches(post.details["d_uncorrected"], details["d_raw_sdpost_uncorrected"], "d post")
    assert_matches(pre.details["d_uncorrected"], details["d_raw_sdpre_uncorrected"], "d pre")


def test_mixed_inputs_source_and_d() -> None:
    fixture, details = _details("smd_mixed_inputs.json")
    es = _replay(fixture["cases"][0]["r_code"][0], fixture["input"])
    assert list(es.source) == details["source_used"]
    assert_matches(es.details["d_uncorrected"], details["d_uncorrected"], "d")


BINARY = [
    "binary_no_zero_cells.json",
    "binary_zero_cells__OR.json",
    "binary_zero_cells__RR.json",
    "binary_zero_cells__RD.json",
]


@pytest.mark.filterwarnings("ignore::metareview.effects.EscalcWarning")
@pytest.mark.parametrize("name", BINARY)
def test_binary_cells_and_flags(name: str) -> None:
    fixture, details = _details(name)
    by_id = {c["id"]: c for c in fixture["cases"]}
    for case_id, per_case in details["per_case"].items():
        es = _replay(by_id[case_id]["r_code"][0], fixture["input"])
        for cell in ("ai", "bi", "ci", "di"):
            assert_matches(es.details[cell], per_case["cells_used"][cell], f"{case_id}:{cell}")
        assert es.add_applied.tolist() == per_case["add_applied"], case_id
        assert es.dropped.tolist() == per_case["dropped_by_drop00"], case_id


# --- metafor_features.json: which vtypes each measure accepts ------------------------------

_PROBE_DATA = {
    "SMD": {
        "m1i": [5.0, 6.0],
        "sd1i": [1.0, 2.0],
        "n1i": [10, 12],
        "m2i": [4.0, 5.5],
        "sd2i": [1.5, 2.0],
        "n2i": [11, 9],
    },
    "MD": {
        "m1i": [5.0, 6.0],
        "sd1i": [1.0, 2.0],
        "n1i": [10, 12],
        "m2i": [4.0, 5.5],
        "sd2i": [1.5, 2.0],
        "n2i": [11, 9],
    },
    "SMCC": {
        "m1i": [5.0, 6.0],
        "m2i": [4.0, 5.5],
        "sd1i": [1.0, 2.0],
        "sd2i": [1.5, 2.0],
        "ni": [10, 12],
        "ri": [0.5, 0.3],
    },
    "SMCR": {
        "m1i": [5.0, 6.0],
        "m2i": [4.0, 5.5],
        "sd1i": [1.0, 2.0],
        "ni": [10, 12],
        "ri": [0.5, 0.3],
    },
    "SMCRH": {
        "m1i": [5.0, 6.0],
        "m2i": [4.0, 5.5],
        "sd1i": [1.0, 2.0],
        "sd2i": [1.5, 2.0],
        "ni": [10, 12],
        "ri": [0.5, 0.3],
    },
    "MC": {
        "m1i": [5.0, 6.0],
        "m2i": [4.0, 5.5],
        "sd1i": [1.0, 2.0],
        "sd2i": [1.5, 2.0],
        "ni": [10, 12],
        "ri": [0.5, 0.3],
    },
    "OR": {"ai": [3, 5], "bi": [20, 18], "ci": [6, 4], "di": [17, 20]},
    "RR": {"ai": [3, 5], "bi": [20, 18], "ci": [6, 4], "di": [17, 20]},
    "RD": {"ai": [3, 5], "bi": [20, 18], "ci": [6, 4], "di": [17, 20]},
}


def _features_cases():
    probe = _load(FIXTURES / "metafor_features.json")["vtype_probe"]
    for measure, by_vtype in probe.items():
        for vtype, verdict in by_vtype.items():
            yield pytest.param(measure, vtype, verdict, id=f"{measure}-{vtype}")


@pytest.mark.parametrize(("measure", "vtype", "verdict"), list(_features_cases()))
def test_vtype_acceptance(measure: str, vtype: str, verdict: str) -> None:
    if measure == "SMD1":
        # SMD standardized by the control-group SD is not among the ported measures
        with pytest.raises(ValueError, match="Unknown 'measure'"):
            escalc(measure, vtype=vtype, **_PROBE_DATA["SMD"])
        return
    data = _PROBE_DATA[measure]
    if verdict.startswith("error: "):
        with pytest.raises(ValueError) as excinfo:
            escalc(measure, vtype=vtype, **data)
        assert _normalise(verdict.removeprefix("error: ")) in _normalise(str(excinfo.value))
        return
    es = escalc(measure, vtype=vtype, **data)
    baseline = escalc(measure, vtype="LS", **data)
    assert np.all(np.isfinite(es.vi))
    if "ignored" in verdict:
        np.testing.assert_array_equal(es.vi, baseline.vi)
    elif vtype != "LS":
        assert not np.array_equal(es.vi, baseline.vi), "an accepted vtype changes vi"


def test_metafor_defaults_match() -> None:
    import inspect

    defaults = _load(FIXTURES / "metafor_features.json")["escalc_defaults"]
    params = inspect.signature(escalc).parameters
    for name, value in defaults.items():
        assert params[name].default == value, name
