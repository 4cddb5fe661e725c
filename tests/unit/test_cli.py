"""The ``metareview`` command line: escalc and rma on CSV files, run in-process through
``main([...])`` and as a separate process; bad input exits 2 with one line naming the
file, data row and column."""

from __future__ import annotations

import csv
import json
import math
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import CLOSED_FORM_METHODS, assert_close, assert_printed, for_quantity

from metareview import bias
from metareview.cli import main
from metareview.effects import escalc
from metareview.pool import rma

REF = Path(__file__).parents[1] / "reference" / "metafor"


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _fixture_csv(tmp_path: Path, name: str, rename: dict[str, str] | None = None) -> Path:
    d = json.loads((REF / name).read_text())
    rename = rename or {}
    cols = list(d["input"])
    header = ["study", *[rename.get(c, c) for c in cols]]
    rows = [[d["slab"][i], *[d["input"][c][i] for c in cols]] for i in range(d["k"])]
    return _write_csv(tmp_path / "in.csv", header, rows)


def _effects_csv(tmp_path: Path, yi: list[float], vi: list[float], **extra: list[Any]) -> Path:
    header = ["study", "yi", "vi", *extra]
    rows = [
        [f"S{i + 1}", repr(y), repr(v), *[extra[c][i] for c in extra]]
        for i, (y, v) in enumerate(zip(yi, vi))
    ]
    return _write_csv(tmp_path / "effects.csv", header, rows)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "metareview.cli", *args], capture_output=True, text=True, check=False
    )


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip()
    lines = [ln for ln in err.splitlines() if ln.startswith("metareview: error:")]
    assert len(lines) == 1, err
    return lines[0]


# --------------------------------------------------------------------------- escalc


def test_escalc_smd_round_trips_and_matches_metafor(tmp_path: Path) -> None:
    src = _fixture_csv(tmp_path, "dat.normand1999__SMD.json")
    out = tmp_path / "out.csv"
    assert main(["escalc", "--measure", "SMD", "--data", str(src), "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    d = json.loads((REF / "dat.normand1999__SMD.json").read_text())
    with src.open() as handle:
        header = next(csv.reader(handle))
    assert list(rows[0]) == [*header, "yi", "vi"]
    assert [r["study"] for r in rows] == d["slab"]
    yi = np.array([float(r["yi"]) for r in rows])
    vi = np.array([float(r["vi"]) for r in rows])
    lib = escalc("SMD", **{c: d["input"][c] for c in d["input"]})
    # written text reads back to the identical doubles the library computed
    assert np.array_equal(yi, lib.yi) and np.array_equal(vi, lib.vi)
    np.testing.assert_allclose(yi, d["yi"], rtol=1e-12)
    np.testing.assert_allclose(vi, d["vi"], rtol=1e-12)


def test_escalc_binary_with_metafor_column_names(tmp_path: Path) -> None:
    src = _fixture_csv(
        tmp_path, "dat.bcg__OR.json", {"tpos": "ai", "tneg": "bi", "cpos": "ci", "cneg": "di"}
    )
    out = tmp_path / "out.csv"
    proc = _run("escalc", "--measure", "OR", "--data", str(src), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    d = json.loads((REF / "dat.bcg__OR.json").read_text())
    assert_close([float(r["yi"]) for r in rows], d["yi"], "elementary", "yi")
    assert_close([float(r["vi"]) for r in rows], d["vi"], "elementary", "vi")
    # moderator columns pass through untouched
    assert [r["ablat"] for r in rows] == [str(x) for x in d["input"]["ablat"]]


def test_escalc_then_rma_pipeline_matches_the_library(tmp_path: Path) -> None:
    src = _fixture_csv(tmp_path, "dat.normand1999__MD.json")
    es = tmp_path / "es.csv"
    js = tmp_path / "fit.json"
    assert main(["escalc", "--measure", "MD", "--data", str(src), "--out", str(es)]) == 0
    assert main(["rma", "--data", str(es), "--method", "DL", "--json", str(js)]) == 0
    out = json.loads(js.read_text())
    d = json.loads((REF / "dat.normand1999__MD.json").read_text())
    ref = d["models"]["DL"]
    assert_close(out["estimate"], ref["estimate"], "closed", "estimate")
    assert_close(out["tau2"], ref["tau2"], "closed", "tau2")
    # Q-profile bounds: the upper one beyond metafor's search interval [0, 10 tau2] and
    # reported as its end; the lower one a root, which metafor's default uniroot finds
    # only to 1.2e-4 (2.6e-10 relative here) and its converged fits to 1e-12 (the
    # Q-profile does not depend on the estimator: the REML fit's bound is the same)
    ci = ref["confint"]
    assert ci["ub_sign"] == ">"
    assert out["tau2_ci_ub"] == pytest.approx(10 * out["tau2"], rel=1e-15)
    assert_close(out["tau2_ci_ub"], ci["tau2_ub"], "closed", "tau2_ci_ub")
    tight_lb = d["models_tight"]["REML"]["confint"]["tau2_lb"]
    assert_close(out["tau2_ci_lb"], tight_lb, "tight_tau2", "tau2_ci_lb")


@pytest.mark.parametrize(
    ("header", "rows", "expect"),
    [
        (["m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"],
         [[1, 2, 10, 0, 2, 10], [1, "abc", 10, 0, 2, 10]],
         ["data row 2", "'sd1i'", "'abc'", "in.csv"]),
        (["m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"],
         [[1, 2, 10, 0, 2, 10], [1, 2, 10, 0, -2, 10]],
         ["data row 2", "'sd2i'", ">= 0", "'-2'"]),
        (["m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"],
         [[1, 2, 0, 0, 2, 10]],
         ["data row 1", "'n1i'", "> 0"]),
        (["m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"],
         [[1, 2, 10, 0, 2, 10], [1, "", 10, 0, 2, 10]],
         ["data row 2", "'sd1i'", "empty cell"]),
        (["m1i", "sd1i", "n1i", "m2i", "n2i"],
         [[1, 2, 10, 0, 10]],
         ["sd2i"]),
        (["study", "x"], [["a", 1]], ["no input column", "SMD"]),
        (["m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i", "yi"],
         [[1, 2, 10, 0, 2, 10, 0.3]],
         ["already has a column 'yi'"]),
    ],
)  # fmt: skip
def test_escalc_bad_input_exits_2_with_row_and_column(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    header: list[str],
    rows: list[list[Any]],
    expect: list[str],
) -> None:
    src = _write_csv(tmp_path / "in.csv", header, rows)
    out = tmp_path / "out.csv"
    assert main(["escalc", "--measure", "SMD", "--data", str(src), "--out", str(out)]) == 2
    line = _error_line(capsys)
    for fragment in expect:
        assert fragment in line, line
    assert not out.exists()  # no partial output


# metafor's escalc on degenerate data (SDs of 0, arms of one, means of 0, zero counts
# with each continuity correction, ...), written by
# tests/reference/make_escalc_edge_fixtures.R; --to and --add give the case's to and add
# for the measures with counts, the others take none
EDGE = json.loads(
    (Path(__file__).parents[1] / "reference" / "metafor_escalc_edge" / "cases.json").read_text()
)["cases"]
EDGE_CLI = sorted(EDGE)
COUNT_MEASURES = ("OR", "RR", "RD", "PR", "PLO")


@pytest.mark.parametrize("name", EDGE_CLI)
def test_escalc_degenerate_data_as_metafor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """Where metafor's escalc gives numbers (vi = 0 among them) they are written; where it
    gives NA, exit 2 naming the first row without an effect size (else without a vi)."""
    case = EDGE[name]
    cols = list(case["args"])
    k = len(case["yi"])
    src = _write_csv(tmp_path / "in.csv", cols, [[case["args"][c][i] for c in cols] for i in range(k)])
    out = tmp_path / "o.csv"
    argv = ["escalc", "--measure", case["measure"], "--data", str(src), "--out", str(out),
            "--vtype", case["vtype"]]  # fmt: skip
    if case["measure"] in COUNT_MEASURES:
        argv += ["--to", case["to"], "--add", repr(float(case["add"]))]
    else:
        assert (case["to"], case["add"]) == ("only0", 0.5), case["r_call"]
    yi, vi = case["yi"], case["vi"]
    missing = [i for i in range(k) if yi[i] is None] + [i for i in range(k) if vi[i] is None]
    if not missing:
        assert main(argv) == 0, case["r_call"]
        with out.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert_close([float(r["yi"]) for r in rows], yi, "closed", case["r_call"])
        assert_close([float(r["vi"]) for r in rows], vi, "closed", case["r_call"])
        assert [float(r["vi"]) == 0 for r in rows] == [v == 0 for v in vi], case["r_call"]
    else:
        assert main(argv) == 2, case["r_call"]
        line = _error_line(capsys)
        assert f"data row {missing[0] + 1} " in line, (case["r_call"], line)
        assert "as metafor's escalc does" in line and "NA" in line, line
        assert not out.exists()


# metafor's escalc on 2x2 tables with zero cells (tests/reference/metafor_conversions,
# binary_zero_cells__*.json): each add, to and drop00 of the fixtures
ZERO_CELLS = {
    (measure, case["id"]): (fixture, case)
    for measure in ("OR", "RR", "RD")
    for fixture in [json.loads((REF.parent / "metafor_conversions" /
                                f"binary_zero_cells__{measure}.json").read_text())]
    for case in fixture["cases"]
}  # fmt: skip


@pytest.mark.parametrize("key", sorted(ZERO_CELLS), ids=lambda key: key[1])
def test_escalc_continuity_correction_options_as_metafor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: tuple[str, str]
) -> None:
    """--add, --to and --drop00 are metafor's add, to and drop00. A table drop00 sets to
    NA (no events in both groups, or only events) is left out of the output with one
    warning naming its data row; another NA (a zero cell with --to none) stops, as
    without the options."""
    fixture, case = ZERO_CELLS[key]
    settings = case["settings"]
    cells = ("ai", "bi", "ci", "di")
    data = fixture["input"]
    k = len(data["ai"])
    src = _write_csv(tmp_path / "in.csv", ["study", *cells],
                     [[data["study"][i], *[data[c][i] for c in cells]] for i in range(k)])  # fmt: skip
    out = tmp_path / "o.csv"
    argv = ["escalc", "--measure", settings["measure"], "--data", str(src), "--out", str(out),
            "--add", repr(float(settings["add"])), "--to", settings["to"],
            "--vtype", settings.get("vtype", "LS")]  # fmt: skip
    if settings["drop00"]:
        argv.append("--drop00")
    double = [
        (data["ai"][i] == data["ci"][i] == 0) or (data["bi"][i] == data["di"][i] == 0)
        for i in range(k)
    ]
    dropped = [i for i in range(k) if settings["drop00"] and double[i]]
    kept = [i for i in range(k) if i not in dropped]
    yi, vi = case["output"]["yi"], case["output"]["vi"]
    assert all(yi[i] is None and vi[i] is None for i in dropped), case["r_code"]
    missing = [i for i in kept if yi[i] is None or vi[i] is None]
    code = main(argv)
    err = capsys.readouterr().err
    said = [ln for ln in err.splitlines() if "--drop00" in ln]
    if dropped:
        rows = ", ".join(str(i + 1) for i in dropped)
        assert len(said) == 1 and f"--drop00: data rows {rows} " in said[0], err
        assert said[0].startswith("metareview: warning:"), err
    else:
        assert said == [], err
    if missing:
        assert code == 2, case["r_code"]
        assert f"data row {missing[0] + 1} " in err and "as metafor's escalc does" in err, err
        assert not out.exists()
        return
    assert code == 0, (case["r_code"], err)
    with out.open(newline="") as handle:
        rows_out = list(csv.DictReader(handle))
    assert [r["study"] for r in rows_out] == [data["study"][i] for i in kept]
    assert_close([float(r["yi"]) for r in rows_out], [yi[i] for i in kept], "closed", "yi")
    assert_close([float(r["vi"]) for r in rows_out], [vi[i] for i in kept], "closed", "vi")


def test_escalc_drop00_then_rma_omits_the_tables_as_metafor(tmp_path: Path) -> None:
    """metafor 3.8-1: rma(yi, vi, data = escalc("OR", ai, bi, ci, di, drop00 = TRUE),
    method = "FE") fits the three tables drop00 keeps (its rma omits those of NA, warning
    "Studies with NAs omitted from model fitting"): estimate 0.72344600157033989, se
    0.87165150710567896, as the same fit of those tables alone."""
    cells = {"ai": [0, 3, 0, 12, 5], "bi": [25, 27, 40, 0, 1495],
             "ci": [4, 0, 0, 15, 0], "di": [21, 31, 38, 0, 1480]}  # fmt: skip
    src = _write_csv(tmp_path / "in.csv", list(cells), [list(r) for r in zip(*cells.values())])
    es, js = tmp_path / "es.csv", tmp_path / "fit.json"
    assert main(["escalc", "--measure", "OR", "--data", str(src), "--out", str(es), "--drop00"]) == 0
    assert main(["rma", "--data", str(es), "--method", "FE", "--json", str(js)]) == 0
    fit = json.loads(js.read_text())
    assert fit["k"] == 3
    assert_close(fit["estimate"], 0.72344600157033989, "closed", "estimate")
    assert_close(fit["se"], 0.87165150710567896, "closed", "se")


@pytest.mark.parametrize(
    ("measure", "options", "expect"),
    [
        ("OR", ["--add", "-1"], "argument --add: expected a finite number >= 0, found '-1'"),
        ("OR", ["--add", "x"], "argument --add: expected a number >= 0, found 'x'"),
        ("OR", ["--add", "nan"], "argument --add: expected a finite number >= 0"),
        ("OR", ["--to", "some"], "argument --to: invalid choice: 'some'"),
        ("SMD", ["--to", "all"], "--to: measure SMD has no counts to correct"),
        ("MD", ["--add", "1", "--drop00"], "--add, --drop00: measure MD has no counts"),
        ("PR", ["--drop00"], "--drop00: measure PR has one group"),
    ],
)
def test_escalc_continuity_correction_options_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], measure: str, options: list[str],
    expect: str,
) -> None:  # fmt: skip
    src = _write_csv(tmp_path / "in.csv", ["ai", "bi", "ci", "di"], [[0, 5, 3, 4]])
    out = tmp_path / "o.csv"
    argv = ["escalc", "--measure", measure, "--data", str(src), "--out", str(out), *options]
    assert main(argv) == 2
    assert expect in capsys.readouterr().err
    assert not out.exists()


def test_escalc_zero_variance_then_rma(tmp_path: Path) -> None:
    """SDs of 0 give yi = m1i - m2i and vi = 0 (metafor: escalc("MD", m1i=c(1,2,3),
    sd1i=c(2,0,1), n1i=10, m2i=0, sd2i=c(2,0,1), n2i=10) gives vi = 0.8, 0, 0.2), which rma
    reads; the unweighted equal-effects fit is then the mean of yi, 2, with variance
    sum(vi)/k^2 = 1/9."""
    src = _write_csv(
        tmp_path / "in.csv", ["m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"],
        [[1, 2, 10, 0, 2, 10], [2, 0, 10, 0, 0, 10], [3, 1, 10, 0, 1, 10]],
    )  # fmt: skip
    es = tmp_path / "es.csv"
    js = tmp_path / "fit.json"
    assert main(["escalc", "--measure", "MD", "--data", str(src), "--out", str(es)]) == 0
    with es.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["yi"] for r in rows] == ["1.0", "2.0", "3.0"]
    assert [float(r["vi"]) for r in rows] == pytest.approx([0.8, 0.0, 0.2], rel=1e-15)
    assert rows[1]["vi"] == "0.0"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(["rma", "--data", str(es), "--method", "FE", "--unweighted", "--json", str(js)])
    assert code == 0
    out = json.loads(js.read_text())
    assert out["estimate"] == pytest.approx(2.0, rel=1e-14)
    assert out["se"] == pytest.approx(math.sqrt(1 / 9), rel=1e-14)


def test_escalc_unknown_measure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _write_csv(tmp_path / "in.csv", ["ai", "bi"], [[1, 2]])
    assert (
        main(["escalc", "--measure", "XYZ", "--data", str(src), "--out", str(tmp_path / "o.csv")])
        == 2
    )
    assert "unknown measure 'XYZ'" in _error_line(capsys)


# --------------------------------------------------------------------------- rma


def test_rma_reads_a_level_as_a_proportion_as_metafor_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # metafor reads level = 0.9 as 90%: the help says so, and the two give one interval.
    d = json.loads((REF / "dat.bcg__RR.json").read_text())
    src = _effects_csv(tmp_path, d["yi"], d["vi"])
    fits = []
    for level in ("90", "0.9"):
        js = tmp_path / f"fit{level}.json"
        assert main(["rma", "--data", str(src), "--level", level, "--json", str(js)]) == 0
        fits.append(json.loads(js.read_text()))
    assert (fits[0]["ci_lb"], fits[0]["ci_ub"]) == (fits[1]["ci_lb"], fits[1]["ci_ub"])
    # and not the 95% interval
    assert fits[0]["ci_lb"] > rma(d["yi"], d["vi"]).ci_lb
    assert main(["rma", "--help"]) == 0
    assert "a proportion (0.9)" in " ".join(capsys.readouterr().out.split())


def test_rma_json_equals_library_result(tmp_path: Path) -> None:
    d = json.loads((REF / "dat.bcg__RR.json").read_text())
    src = _effects_csv(tmp_path, d["yi"], d["vi"])
    js = tmp_path / "fit.json"
    proc = _run("rma", "--data", str(src), "--method", "REML", "--test", "knha", "--level", "90",
                "--json", str(js))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(js.read_text())
    res = rma(d["yi"], d["vi"], method="REML", test="knha", level=90)
    lib = res.to_dict(confint=True)
    for key in ("estimate", "se", "tval", "df", "pval", "ci_lb", "ci_ub", "tau2", "I2", "QE",
                "tau2_ci_lb", "tau2_ci_ub", "I2_ci_lb", "I2_ci_ub", "H2_ci_lb", "tau_ci_ub"):  # fmt: skip
        assert out[key] == lib[key], key
    assert out["slab"][:2] == ["S1", "S2"]
    assert out["call"]["method"] == "REML" and out["call"]["level"] == 90.0
    # the published metafor fit, for good measure: the Knapp-Hartung fit with metafor's
    # default convergence, and the REML fit run to convergence (the same estimate)
    assert_close(out["estimate"], d["models_knha"]["REML"]["estimate"], "loose", "estimate")
    assert_close(out["estimate"], d["models_tight"]["REML"]["estimate"], "tight", "estimate")


def test_rma_with_mods_and_custom_columns(tmp_path: Path) -> None:
    d = json.loads((REF / "dat.bcg__RR.json").read_text())
    header = ["effect", "var", "ablat"]
    rows = [[repr(y), repr(v), a] for y, v, a in zip(d["yi"], d["vi"], d["input"]["ablat"])]
    src = _write_csv(tmp_path / "t.csv", header, rows)
    js = tmp_path / "fit.json"
    argv = ["rma", "--data", str(src), "--yi", "effect", "--vi", "var", "--mods", "ablat",
            "--diagnostics", "--json", str(js)]  # fmt: skip
    assert main(argv) == 0
    out = json.loads(js.read_text())
    ref = d["metareg"]["z"]
    np.testing.assert_allclose(out["beta"], ref["beta"], rtol=1e-4)
    assert out["p"] == 2
    # named after the column, as metafor's rma(yi, vi, mods = ~ ablat) names them
    assert out["coef_names"] == ref["coef_names"] == ["intrcpt", "ablat"]
    # with moderators: no leave1out/cumul/trimfill (metafor defines them without moderators)
    assert "influence" in out and "leave1out" not in out and "cumul" not in out
    assert set(out["bias"]) == {"regtest", "regtest_lm", "ranktest", "fsn"}


def test_rma_diagnostics_carry_the_bias_results(tmp_path: Path) -> None:
    d = json.loads((REF / "dat.hackshaw1998__OR.json").read_text())
    src = _effects_csv(tmp_path, d["yi"], d["vi"])
    js = tmp_path / "fit.json"
    assert main(["rma", "--data", str(src), "--diagnostics", "--json", str(js)]) == 0
    out = json.loads(js.read_text())
    res = rma(d["yi"], d["vi"])
    assert out["bias"]["trimfill"] == json.loads(json.dumps(bias.trimfill(res).to_dict()))
    assert out["bias"]["trimfill"]["k0"] == d["bias"]["trimfill_REML"]["k0"]
    assert out["bias"]["ranktest"]["pval"] == pytest.approx(
        d["bias"]["ranktest"]["pval"], rel=1e-10
    )
    assert out["bias"]["fsn"]["fsnum"] == d["bias"]["fsn"]["fsnum"]
    assert len(out["leave1out"]["estimate"]) == d["k"]
    np.testing.assert_allclose(out["leave1out"]["estimate"], d["leave1out"]["estimate"], rtol=1e-4)
    assert len(out["cumul"]["estimate"]) == d["k"]


def test_rma_json_has_no_nan_and_is_deterministic(tmp_path: Path) -> None:
    src = _effects_csv(tmp_path, [0.1, 0.3, 0.2, 0.5], [0.01, 0.02, 0.03, 0.04])
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["rma", "--data", str(src), "--method", "FE", "--json", str(a)]) == 0
    assert main(["rma", "--data", str(src), "--method", "FE", "--json", str(b)]) == 0
    text = a.read_text()
    assert text == b.read_text()
    assert "NaN" not in text and "Infinity" not in text
    out = json.loads(text)
    assert out["tau2_ci_lb"] is None and out["pi_lb"] is None  # undefined for FE: null


@pytest.mark.parametrize(
    ("rows", "argv", "expect"),
    [
        ([["S1", 0.1, 0.01], ["S2", 0.2, -0.02]], [], ["data row 2", "'vi'", ">= 0", "'-0.02'"]),
        # vi = 0 is read; DL refuses it, as metafor's DL does
        ([["S1", 0.1, 0.01], ["S2", 0.2, 0]], ["--method", "DL"],
         ["the DL estimator needs all sampling variances vi > 0"]),
        ([["S1", 0.1, 0.01], ["S2", "n/a", 0.02]], [], ["data row 2", "'yi'", "'n/a'"]),
        ([["S1", 0.1, 0.01], ["S2", "nan", 0.02]], [], ["data row 2", "'yi'", "'nan'"]),
        ([["S1", 0.1, 0.01]], [], ["1 study", "REML", "at least 2"]),
        ([["S1", 0.1, 0.01], ["S2", 0.2, 0.02]], ["--mods", "x"], ["missing column 'x'"]),
        ([["S1", 0.1, 0.01], ["S2", 0.2, 0.02]], ["--mods", "yi,yi"], ["named more than once: yi"]),
        ([["S1", 0.1, 0.01], ["S2", 0.2, 0.02]], ["--vi", "se"], ["missing column 'se'"]),
    ],
)
def test_rma_bad_input_exits_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: list[list[Any]],
    argv: list[str],
    expect: list[str],
) -> None:
    src = _write_csv(tmp_path / "effects.csv", ["study", "yi", "vi"], rows)
    js = tmp_path / "fit.json"
    assert main(["rma", "--data", str(src), *argv, "--json", str(js)]) == 2
    line = _error_line(capsys)
    assert "effects.csv" in line
    for fragment in expect:
        assert fragment in line, line
    assert not js.exists()


def test_rma_too_few_studies_for_a_meta_regression(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _write_csv(tmp_path / "e.csv", ["yi", "vi", "x"], [[0.1, 0.01, 1], [0.2, 0.02, 2]])
    assert main(["rma", "--data", str(src), "--mods", "x", "--json", str(tmp_path / "o.json")]) == 2
    line = _error_line(capsys)
    assert "2 studies" in line and "2 coefficient(s) and tau^2" in line and "at least 3" in line


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        ("", "empty file"),
        ("\n\n", "empty file"),
        ("yi,vi\n", "no data rows"),
        ("yi,vi\n0.1,0.01\n0.2\n", "data row 2 (line 3): expected 2 fields"),
        ("yi,yi\n0.1,0.01\n", "appears twice"),
        ("yi,\n0.1,0.01\n", "header field 2 is empty"),
    ],
)
def test_malformed_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expect: str
) -> None:
    src = tmp_path / "bad.csv"
    src.write_text(content)
    assert main(["rma", "--data", str(src), "--json", str(tmp_path / "o.json")]) == 2
    line = _error_line(capsys)
    assert "bad.csv" in line and expect in line


def test_missing_file_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["rma", "--data", str(tmp_path / "nope.csv"), "--json", str(tmp_path / "o.json")]) == 2
    )
    assert "nope.csv: cannot read" in _error_line(capsys)
    assert main(["rma", "--data", "x.csv", "--method", "XX", "--json", "o.json"]) == 2
    assert main(["rma", "--data", "x.csv", "--level", "150", "--json", "o.json"]) == 2
    assert main([]) == 2


def test_subprocess_reports_one_line_and_status_2(tmp_path: Path) -> None:
    src = _write_csv(tmp_path / "effects.csv", ["yi", "vi"], [[0.1, 0.01], [0.2, "abc"]])
    proc = _run("rma", "--data", str(src), "--json", str(tmp_path / "o.json"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "data row 2 (line 3), column 'vi'" in proc.stderr


def test_importing_the_cli_does_not_load_numpy() -> None:
    # start-up time matters: argument parsing and CSV checks run before any heavy import
    code = "import sys, metareview.cli; print('numpy' in sys.modules, 'scipy' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.split() == ["False", "False"]


def test_rows_in_library_messages_are_renumbered() -> None:
    from metareview.cli import _rows_in_message

    assert _rows_in_message("bad value. Rows: index 0 (x=1); index 4 (x=2).") == (
        "bad value. Rows: data row 1 (x=1); data row 5 (x=2)."
    )
    assert _rows_in_message("vi[0] = 0.0: must be > 0 (indices [0, 3])") == (
        "vi of data row 1 = 0.0: must be > 0 (data rows 1, 4)"
    )
    assert _rows_in_message("vi = 0 in 1 of 4 studies (indices [2])") == (
        "vi = 0 in 1 of 4 studies (data row 3)"
    )


# ------------------------------------------------- rma: sei, weights, tau2, btt against metafor

REFS = Path(__file__).parents[1] / "reference"

#: metafor's field (fixture) -> the key of the JSON the command line writes
_JSON_KEYS = {"estimate": "beta", "se": "se_beta", "pval": "pval_beta", "ci_lb": "ci_lb_beta",
              "ci_ub": "ci_ub_beta", "weights_pct": "weights"}  # fmt: skip


def _fixture(folder: str, name: str) -> dict[str, Any]:
    return json.loads((REFS / folder / name).read_text(encoding="utf-8"))


def _rma_json(tmp_path: Path, columns: dict[str, list[Any]], *argv: str) -> dict[str, Any]:
    """Write ``columns`` to a CSV (numbers as repr, which reads back to the same
    double), run ``metareview rma`` on it and return the JSON it wrote."""
    names = list(columns)
    rows = [[repr(columns[c][i]) for c in names] for i in range(len(columns[names[0]]))]
    src = _write_csv(tmp_path / "effects.csv", names, rows)
    js = tmp_path / "fit.json"
    assert main(["rma", "--data", str(src), *argv, "--json", str(js)]) == 0
    return json.loads(js.read_text(encoding="utf-8"))


def _assert_fit(out: dict[str, Any], ref: dict[str, Any], tol: str, what: str) -> None:
    """Every field of one metafor model block that the JSON holds, at tolerance ``tol``."""
    assert (out["k"], out["p"], out["method"], out["test"]) == (
        ref["k"], ref["p"], ref["method"], ref["test"]
    ), what  # fmt: skip
    assert out["df"] == ref["df"], what
    stat = out["zval_beta"]
    assert_close(stat, ref["stat"], for_quantity(tol, "stat"), f"{what}.stat")
    if "vb" in ref:
        # R writes the covariance matrix column by column
        assert_close(np.asarray(out["vb"]).T.ravel(), ref["vb"], tol, f"{what}.vb")
    for field in ("estimate", "se", "pval", "ci_lb", "ci_ub", "weights_pct", "tau2", "se_tau2",
                  "I2", "H2", "QE", "QEp", "s2w", "QM", "QMp", "R2"):  # fmt: skip
        if field in ref:
            key = _JSON_KEYS.get(field, field)
            assert_close(out[key], ref[field], for_quantity(tol, field), f"{what}.{field}")


def _tol(method: str) -> str:
    # the fixtures' iterative fits ran to convergence (threshold 1e-12)
    return "closed" if method in CLOSED_FORM_METHODS else "tight"


@pytest.mark.parametrize(
    ("case", "model", "argv"),
    [
        ("dat.bcg__RR.json", "arbitrary_REML_knha", ["--weights", "arbitrary"]),
        ("dat.bcg__RR.json", "ni_DL_z", ["--weights", "ni"]),
        ("dat.bcg__RR.json", "unweighted_REML_t", ["--unweighted"]),
        ("dat.normand1999__MD.json", "unweighted_given_PM_adhoc",
         ["--unweighted", "--weights", "ni"]),
        ("dat.normand1999__MD.json", "arbitrary_FE_z", ["--weights", "arbitrary"]),
        ("metareg_bcg_ablat.json", "arbitrary_ML_knha",
         ["--weights", "arbitrary", "--mods", "ablat"]),
        ("metareg_bcg_ablat_year.json", "unweighted_HE_z",
         ["--unweighted", "--mods", "ablat,year"]),
    ],
)  # fmt: skip
def test_rma_weights_and_unweighted_match_metafor(
    tmp_path: Path, case: str, model: str, argv: list[str]
) -> None:
    d = _fixture("metafor_weights", case)
    ref = d["models"][model]
    columns = {"yi": d["yi"], "vi": d["vi"], "ni": d["ni"], "arbitrary": d["arbitrary"],
               **(d.get("mods") or {})}  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Knapp-Hartung on an FE model is warned about
        out = _rma_json(tmp_path, columns, "--method", ref["method"], "--test", ref["test"], *argv)
    _assert_fit(out, ref, _tol(ref["method"]), f"{case}:{model}")
    if ref["p"] == 1 and ref["method"] not in ("FE", "EE"):
        pr = ref["predict"]
        tol = _tol(ref["method"])
        assert_close([out["pi_lb"], out["pi_ub"]], [pr["pi_lb"][0], pr["pi_ub"][0]], tol, "pi")
        # the Q-profile interval of tau^2 is that of the fit without weights, in both
        assert_close(out["tau2_ci_lb"], ref["confint"]["tau2_lb"], for_quantity("tight", "tau2_lb"),
                     "tau2_ci_lb")  # fmt: skip
    assert out["weighted"] is ("--unweighted" not in argv)
    given = d["ni"] if "ni" in argv else d["arbitrary"] if "arbitrary" in argv else None
    assert out["weights_given"] == given
    assert out["call"]["weighted" if "--unweighted" in argv else "method"] == (
        False if "--unweighted" in argv else ref["method"]
    )


@pytest.mark.parametrize(
    ("case", "model", "argv"),
    [
        ("bcg_RR.json", "REML/knha/0.1", []),
        ("bcg_RR.json", "DL/z/0", []),
        ("bcg_RR_ablat.json", "PM/knha/0.1", ["--mods", "ablat"]),
        ("bcg_RR_ablat_year.json", "ML/z/0.1", ["--mods", "ablat,year"]),
        # as many coefficients as studies: nothing is left to estimate tau^2 from, and
        # with tau^2 given the z-test model is still fitted, as in metafor
        ("bcg_RR_k2_p2.json", "REML/z/0.05", ["--mods", "ablat"]),
    ],
)
def test_rma_fixed_tau2_matches_metafor(
    tmp_path: Path, case: str, model: str, argv: list[str]
) -> None:
    d = _fixture("metafor_tau2", case)
    ref = d["fits"][model]
    k = len(d["yi"])
    mods = np.asarray(d["mods"] or [], dtype=float).reshape(d["mods_ncol"], -1)
    columns: dict[str, list[Any]] = {"yi": d["yi"], "vi": d["vi"]}
    for name, values in zip(("ablat", "year"), mods if d["mods"] else []):
        columns[name] = [int(x) for x in values[:k]]
    tau2 = model.rsplit("/", 1)[1]
    out = _rma_json(tmp_path, columns, "--method", ref["method"], "--test", ref["test"],
                    "--tau2", tau2, *argv)  # fmt: skip
    if ref["p"] == k:
        # no residual df: metafor's se_tau2 is one over its rounding noise, ours undefined
        assert out["se_tau2"] is None
        ref = {key: value for key, value in ref.items() if key != "se_tau2"}
    # with tau^2 given nothing is iterated: closed forms for every estimator
    _assert_fit(out, ref, "closed", f"{case}:{model}")
    assert out["tau2_fix"] is True and out["call"]["tau2"] == float(tau2)
    # no Q-profile interval for a tau^2 that was not estimated
    assert out["tau2_ci_lb"] is None and out["tau2_ci_ub"] is None


@pytest.mark.parametrize(
    ("file", "argv"), [("unweighted", ["--unweighted"]), ("weights", ["--weights", "w"])]
)
def test_rma_reads_vi_of_zero_and_fits_it_as_metafor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], file: str, argv: list[str]
) -> None:
    """A 0 in the vi column is data the model decides on, as in metafor: an equal-effects
    fit unweighted or with given weights needs no weight 1/vi and is given, with metafor's
    warnings on stderr (naming the data row) and Q, I^2 and the log-likelihoods null."""
    d = _fixture("metafor_vi0", f"{file}.json")
    ref = d["fits"]["FE_four_z"]
    data = d["data"]["four"]
    weights = d["weights"]["four"] if file == "weights" else [1] * 4
    src = _effects_csv(tmp_path, data["yi"], data["vi"], w=weights)
    js = tmp_path / "fit.json"
    assert main(["rma", "--data", str(src), "--method", "FE", *argv, "--json", str(js)]) == 0
    out = json.loads(js.read_text(encoding="utf-8"))
    for field, ours in (("beta", out["estimate"]), ("se", out["se"]), ("pval", out["pval"]),
                        ("ci_lb", out["ci_lb"]), ("ci_ub", out["ci_ub"])):  # fmt: skip
        assert_close(ours, ref[field][0], "closed", field)
    assert out["QE"] is None and out["I2"] is None and out["ll_ML"] is None
    err = capsys.readouterr().err
    assert "warning" in err and "non-positive sampling variances" in err and "(data row 1)" in err
    assert "Q-test, I^2 and H^2 are not computed" in err and "Traceback" not in err


def test_rma_vi_of_zero_refused_by_the_model_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The inverse-variance equal-effects fit gives the study of vi = 0 an infinite weight
    (metafor: "Division by zero when computing the inverse variance weights"): the
    model's refusal, naming the study, is the one error line; nothing is written."""
    src = _effects_csv(tmp_path, [0.1, 0.3, 0.5, 0.2], [0.0, 0.02, 0.03, 0.05])
    js = tmp_path / "fit.json"
    assert main(["rma", "--data", str(src), "--method", "FE", "--json", str(js)]) == 2
    line = _error_line(capsys)
    assert "division by zero computing the inverse-variance weights" in line, line
    assert "study 'S1' has sampling variance vi = 0" in line, line
    assert not js.exists()


# metafor 3.8-1 on the four studies above (the first of vi = 0), FE with weights 1-4 and
# with weighted = FALSE: regtest(r) gives z = 0.2960 and 1.2238, trimfill(r) k0 = 0 and
# the fit itself (estimate 0.3000 and 0.2750); regtest(r, model = "lm") stops ("NA/NaN/Inf
# in 'x'"), ranktest(r) stops ("not enough finite observations"), fsn(yi, vi) is Inf.
VI0_BIAS = {"weights": ("0.2960", "0.3000"), "unweighted": ("1.2238", "0.2750")}


@pytest.mark.parametrize(
    ("file", "argv"), [("weights", ["--weights", "w"]), ("unweighted", ["--unweighted"])]
)
def test_rma_diagnostics_a_refusal_leaves_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], file: str, argv: list[str]
) -> None:
    """A diagnostic that refuses the data (here the two that metafor stops at on a study
    of vi = 0) is null in the JSON with its reason under diagnostics_errors and one
    error line each; the fit and the other diagnostics are written, as metafor gives
    them (the fail-safe N Inf, null in the JSON, with p = 0), and the exit status is 3."""
    d = _fixture("metafor_vi0", f"{file}.json")
    data = d["data"]["four"]
    weights = d["weights"]["four"] if file == "weights" else [1] * 4
    src = _effects_csv(tmp_path, data["yi"], data["vi"], w=weights)
    js = tmp_path / "fit.json"
    assert main(["rma", "--data", str(src), "--method", "FE", *argv, "--diagnostics",
                 "--json", str(js)]) == 3  # fmt: skip
    out = json.loads(js.read_text(encoding="utf-8"))
    ref = d["diagnostics"]["FE_four"]
    for key, field in (("leave1out", "estimate"), ("influence", "rstudent")):
        for j, (ours, theirs) in enumerate(zip(out[key][field], ref[key][field], strict=True)):
            assert_close(ours, theirs, "closed", f"{key} {field} {j}")
    assert len(out["cumul"]["estimate"]) == 4
    z, estimate = VI0_BIAS[file]
    assert_printed(out["bias"]["regtest"]["zval"], z, "closed", "regtest zval")
    assert out["bias"]["trimfill"]["k0"] == 0
    assert_printed(out["bias"]["trimfill"]["estimate"], estimate, "closed", "trimfill estimate")
    assert out["bias"]["fsn"]["fsnum"] is None and out["bias"]["fsn"]["pval"] == 0.0
    assert out["bias"]["fsn"]["k"] == 4
    failed = ["regtest_lm", "ranktest"]
    assert [name for name, value in out["bias"].items() if value is None] == failed
    assert list(out["diagnostics_errors"]) == failed
    for name in failed:
        assert out["diagnostics_errors"][name].endswith("vi = 0 in 1 of 4 studies (data row 1)")
    err = capsys.readouterr().err
    errors = [ln for ln in err.splitlines() if ln.startswith("metareview: error:")]
    assert [ln.split("--diagnostics: ")[1].split(" ")[0] for ln in errors] == failed, err
    assert all(f"{src}: --diagnostics: " in ln and "not computed" in ln for ln in errors), err
    # numpy's division warnings stay inside; the model's warnings, which the refits
    # repeat, are said once each
    assert "encountered" not in err and "Traceback" not in err, err
    warned = [ln for ln in err.splitlines() if ln.startswith("metareview: warning:")]
    assert len(warned) == len(set(warned)) == 2, err


def test_rma_diagnostics_all_computed_exit_0_with_no_errors(tmp_path: Path) -> None:
    src = _effects_csv(tmp_path, [0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.03, 0.05])
    js = tmp_path / "fit.json"
    assert main(["rma", "--data", str(src), "--diagnostics", "--json", str(js)]) == 0
    out = json.loads(js.read_text(encoding="utf-8"))
    assert out["diagnostics_errors"] == {}
    assert all(value is not None for value in out["bias"].values())
    assert main(["rma", "--data", str(src), "--json", str(js)]) == 0
    assert "diagnostics_errors" not in json.loads(js.read_text(encoding="utf-8"))


def test_rma_negative_variance_is_still_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _effects_csv(tmp_path, [0.1, 0.3, 0.5], [0.01, -0.02, 0.03])
    js = tmp_path / "fit.json"
    assert main(["rma", "--data", str(src), "--json", str(js)]) == 2
    line = _error_line(capsys)
    assert "data row 2 (line 3), column 'vi'" in line and "a sampling variance >= 0" in line
    assert "'-0.02'" in line and not js.exists()


def test_rma_sei_in_place_of_vi_and_one_study_with_tau2(tmp_path: Path) -> None:
    d = _fixture("metafor_tau2", "bcg_RR.json")
    sei = [math.sqrt(v) for v in d["vi"]]
    out = _rma_json(tmp_path, {"yi": d["yi"], "se": sei}, "--sei", "se", "--tau2", "0.1")
    _assert_fit(out, d["sei"], "closed", "bcg_RR:sei")
    assert out["vi"] == [s * s for s in sei]  # vi = sei^2, as metafor squares them
    assert out["call"]["sei"] == "se" and out["call"]["vi"] is None
    # k = 1 with tau^2 given: one coefficient and nothing estimated besides it
    one = _rma_json(tmp_path, {"yi": d["yi"][:1], "vi": d["vi"][:1]}, "--tau2", "0.1")
    _assert_fit(one, d["k1"], "closed", "bcg_RR:k1")
    # weights and a given tau^2 together, under Knapp-Hartung
    ref = d["weighted"]
    out = _rma_json(tmp_path, {"yi": d["yi"], "vi": d["vi"], "w": d["weights_given"]},
                    "--weights", "w", "--tau2", "0.1", "--test", "knha")  # fmt: skip
    _assert_fit(out, ref, "closed", "bcg_RR:weighted")


@pytest.mark.parametrize("fit", ["REML_z", "REML_knha", "FE_z", "FE_knha"])
def test_rma_btt_by_index_and_by_name_matches_metafor(tmp_path: Path, fit: str) -> None:
    d = _fixture("metafor_arguments", "btt.json")
    data = d["data"]
    ref = d["fits"][fit]
    columns = {"yi": data["yi"], "vi": data["vi"], "ablat": data["ablat"], "year": data["year"]}
    # metafor's 1-based btt (its fixture keys) and ours, 0-based or by name
    ours = {"1": "0", "2": "1", "3": "2", "1,3": "0,2", "2,3": "2,1", "1:3": "0,1,2",
            "ablat": "ablat", "year": "year"}  # fmt: skip
    assert set(ours) == set(ref["btt"])
    for theirs, btt in ours.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Knapp-Hartung on an FE model
            out = _rma_json(tmp_path, columns, "--mods", "ablat,year", "--method", ref["method"],
                            "--test", ref["test"], "--btt", btt)  # fmt: skip
        want = ref["btt"][theirs]
        # the JSON names the coefficients tested only when they are not the default ones
        assert out.get("btt", [1, 2]) == [j - 1 for j in want["btt"]], btt
        tol = _tol(ref["method"])
        assert_close(out["QM"], want["QM"], tol, f"{fit}:{btt}.QM")
        assert_close(out["QMp"], want["QMp"], tol, f"{fit}:{btt}.QMp")
        assert out["QMdf"][0] == want["QMdf"][0] and out["QMdf"][1] == want["QMdf"][1], btt
        assert out["call"]["btt"] == [int(b) if b.isdigit() else b for b in btt.split(",")]


@pytest.mark.parametrize("fit", ["REML_z", "REML_knha", "FE_z", "FE_knha"])
def test_rma_btt_with_a_column_named_intrcpt_matches_metafor(tmp_path: Path, fit: str) -> None:
    # metafor names the intercept intrcpt.1 and the column intrcpt.2; both names and
    # the indices select one coefficient each, as in metafor
    d = _fixture("metafor_arguments", "btt_intrcpt.json")
    data = d["data"]
    ref = d["fits"][fit]
    columns = {"yi": data["yi"], "vi": data["vi"], "intrcpt": data["intrcpt"], "year": data["year"]}
    for theirs, btt in {"intrcpt.1": "intrcpt.1", "intrcpt.2": "intrcpt.2", "1": "0", "2": "1"}.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Knapp-Hartung on an FE model
            out = _rma_json(tmp_path, columns, "--mods", "intrcpt,year", "--method", ref["method"],
                            "--test", ref["test"], "--btt", btt)  # fmt: skip
        want = ref["btt"][theirs]
        assert out["coef_names"] == d["coef_names"]
        assert out["btt"] == [j - 1 for j in want["btt"]], btt
        assert_close(out["QM"], want["QM"], _tol(ref["method"]), f"{fit}:{btt}.QM")
        assert_close(out["QMp"], want["QMp"], _tol(ref["method"]), f"{fit}:{btt}.QMp")
        assert out["QMdf"] == want["QMdf"], btt


def test_rma_btt_intrcpt_beside_a_column_of_that_name_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # metafor reads btt = "intrcpt" as a pattern and tests the intercept and the column
    # together (btt 1:2); read as a name it would test the intercept alone: refused
    d = _fixture("metafor_arguments", "btt_intrcpt.json")
    assert d["fits"]["REML_z"]["btt"]["intrcpt"]["btt"] == [1, 2]
    data = d["data"]
    names = ["yi", "vi", "intrcpt", "year"]
    rows = [[repr(data[c][i]) for c in names] for i in range(len(data["yi"]))]
    src = _write_csv(tmp_path / "effects.csv", names, rows)
    js = tmp_path / "fit.json"
    for mods, btt, column in (("intrcpt,year", "intrcpt", "'intrcpt.2' (index 1)"),
                              ("year,intrcpt", "year,intrcpt", "'intrcpt.2' (index 2)")):  # fmt: skip
        argv = ["rma", "--data", str(src), "--mods", mods, "--btt", btt, "--json", str(js)]
        assert main(argv) == 2
        line = _error_line(capsys)
        for fragment in ("effects.csv", "the --mods column 'intrcpt'", "'intrcpt.1' (index 0)", column):
            assert fragment in line, line
        assert not js.exists()


def test_rma_btt_by_a_name_metafor_leaves_twice_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # metafor renames in turn (btt_intrcpt.json: columns x.1, x, x give x.1, x.1, x.2), so
    # columns intrcpt, intrcpt.1.1, intrcpt.1 give intrcpt.1.1 twice: the intercept (via
    # intrcpt.1) and the column; taken as a name it would test the first only
    from metareview.pool import _make_unique

    d = _fixture("metafor_arguments", "btt_intrcpt.json")
    assert d["renamed"]["x.1,x,x"]["coef_names"] == ["intrcpt", "x.1", "x.1", "x.2"]
    mods = ["intrcpt", "intrcpt.1.1", "intrcpt.1"]
    assert list(_make_unique(["intrcpt", *mods])).count("intrcpt.1.1") == 2
    rows = [[0.1 * i, 0.01, i, i * i, i**3] for i in range(1, 7)]
    src = _write_csv(tmp_path / "effects.csv", ["yi", "vi", *mods], rows)
    js = tmp_path / "fit.json"
    argv = ["rma", "--data", str(src), "--mods", ",".join(mods), "--btt", "intrcpt.1.1", "--json", str(js)]
    assert main(argv) == 2
    line = _error_line(capsys)
    assert "'intrcpt.1.1' names more than one coefficient" in line and "give 0-based indices" in line, line
    assert not js.exists()


def test_rma_call_without_the_new_options_is_unchanged(tmp_path: Path) -> None:
    out = _rma_json(tmp_path, {"yi": [0.1, 0.3, 0.2], "vi": [0.01, 0.02, 0.03]})
    assert list(out["call"]) == [
        "data", "yi", "vi", "mods", "method", "test", "level", "diagnostics"
    ]  # fmt: skip
    assert not {"btt", "weighted", "weights_given", "tau2_fix"} & set(out)


@pytest.mark.parametrize(
    ("rows", "argv", "expect"),
    [
        ([[0.1, 0.01, 0.1, 1, 1], [0.2, 0.02, 0.1, "abc", 2]], ["--weights", "w"],
         ["effects.csv: data row 2 (line 3), column 'w'", "a weight >= 0", "'abc'"]),
        ([[0.1, 0.01, 0.1, 1, 1], [0.2, 0.02, 0.1, -1, 2]], ["--weights", "w"],
         ["effects.csv: data row 2 (line 3), column 'w'", "a weight >= 0", "'-1'"]),
        ([[0.1, 0.01, 0.1, 1, 1], [0.2, 0.02, 0.1, "", 2]], ["--weights", "w"],
         ["effects.csv: data row 2", "'w'", "empty cell"]),
        ([[0.1, 0.01, 0.1, 1, 1], [0.2, 0.02, 0.1, 1, 2]], ["--weights", "wt"],
         ["effects.csv: missing column 'wt'", "the header has"]),
        ([[0.1, 0.01, 0.1, 0, 1], [0.2, 0.02, 0.1, 0, 2]], ["--weights", "w"],
         ["effects.csv: the weights leave X'AX singular"]),
        ([[0.1, 0.01, 0.1, 1, 1], [0.2, 0.02, 0, 1, 2]], ["--sei", "se", "--method", "FE"],
         ["effects.csv: division by zero computing the inverse-variance weights",
          "study '2' has sampling variance vi = 0"]),
        ([[0.1, 0.01, -0.1, 1, 1], [0.2, 0.02, 0.1, 1, 2]], ["--sei", "se"],
         ["effects.csv: data row 1 (line 2), column 'se'", "a standard error >= 0", "'-0.1'"]),
        ([[0.1, 0.01, 0.1, 1, 1], [0.2, 0.02, 0.1, 1, 2]], ["--sei", "sei"],
         ["effects.csv: missing column 'sei'"]),
        ([[0.1, 0.01, 0.1, 1, 1], [0.2, 0.02, 0.1, 1, 2]], ["--btt", "1"],
         ["--btt '1'", "index 1 is beyond the 1 coefficient(s)", "0 'intrcpt'"]),
        ([[0.1, 0.01, 0.1, 1, 1], [0.2, 0.02, 0.1, 1, 3], [0.3, 0.01, 0.1, 1, 2]],
         ["--mods", "x", "--btt", "year"],
         ["no coefficient named 'year'", "0 'intrcpt', 1 'x'"]),
        ([[0.1, 0.01, 0.1, 1, 1], [0.2, 0.02, 0.1, 1, 2]], ["--btt", "0,intrcpt"], ["not both"]),
        ([[0.1, 0.01, 0.1, 1, 1], [0.2, 0.02, 0.1, 1, 2]], ["--btt", "-1"], ["negative index -1"]),
        ([[0.1, 0.01, 0.1, 1, 1], [0.2, 0.02, 0.1, 1, 2]], ["--btt", "0,"], ["empty item"]),
        ([[0.1, 0.01, 0.1, 1, 1]], ["--tau2", "0.1", "--test", "knha"],
         ["effects.csv: 1 study", "estimates 1 coefficient(s) and needs at least 2"]),
    ],
)  # fmt: skip
def test_rma_bad_input_for_the_metafor_arguments_exits_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: list[list[Any]],
    argv: list[str],
    expect: list[str],
) -> None:
    src = _write_csv(tmp_path / "effects.csv", ["yi", "vi", "se", "w", "x"], rows)
    js = tmp_path / "fit.json"
    assert main(["rma", "--data", str(src), *argv, "--json", str(js)]) == 2
    line = _error_line(capsys)
    for fragment in expect:
        assert fragment in line, line
    assert not js.exists()


@pytest.mark.parametrize(
    ("argv", "expect"),
    [
        (["--vi", "vi", "--sei", "se"], "argument --sei: not allowed with argument --vi"),
        (["--tau2", "-0.1"], "argument --tau2: expected a finite number >= 0, found '-0.1'"),
        (["--tau2", "abc"], "argument --tau2: expected a number >= 0, found 'abc'"),
        (["--tau2", "inf"], "argument --tau2: expected a finite number >= 0"),
    ],
)
def test_rma_usage_errors_for_the_metafor_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expect: str
) -> None:
    src = _write_csv(tmp_path / "e.csv", ["yi", "vi", "se"], [[0.1, 0.01, 0.1], [0.2, 0.02, 0.1]])
    js = tmp_path / "o.json"
    assert main(["rma", "--data", str(src), *argv, "--json", str(js)]) == 2
    assert expect in capsys.readouterr().err
    assert not js.exists()


# --------------------------------------------------------------------------- study-rows

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "config" / "schemas" / "raw"


def _raw_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", folder)
    return folder


def _records(folder: Path, table: str) -> list[list[str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _listed(out: str) -> tuple[dict[str, list[int]], dict[str, int], dict[str, int]]:
    """The rows, own documents and shared documents (with their rows) study-rows printed."""
    rows: dict[str, list[int]] = {}
    own: dict[str, int] = {}
    shared: dict[str, int] = {}
    part = "rows"
    for line in out.splitlines()[1:]:
        if line.startswith("Documents in"):
            part = "own"
        elif line.startswith("Documents these rows"):
            part = "shared"
        elif line.strip() != "none" and part == "rows":
            name, numbers = line.strip().split(": row")
            rows[Path(name).stem] = [int(n) for n in numbers.lstrip("s ").split(", ")]
        elif line.strip() != "none":
            row, source = line.strip().removeprefix("row ").split(": ")
            (own if part == "own" else shared)[source.split(" (")[0]] = int(row)
    return rows, own, shared


@pytest.mark.parametrize("study", ["Chen2022", "Cherkin2009", "Kwon2007"])
def test_study_rows_lists_what_taking_a_study_out_deletes(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         study: str) -> None:
    # Chen2022 is named by a claim (attributed_study_id) too; Cherkin2009 has documents only
    # it cites; Kwon2007's one document is cited by other studies' rows as well.
    from metareview.checks import uncited_sources
    from metareview.rawdata import read_raw

    folder = _raw_copy(tmp_path)
    assert main(["study-rows", study, "--raw", str(folder), "--schemas", str(SCHEMAS)]) == 0
    out = capsys.readouterr().out
    rows, own, shared = _listed(out)
    # Every row naming the study, in any column, as read from the CSV files themselves.
    expected: dict[str, list[int]] = {}
    for table in ("studies", "arms", "arm_outcomes", "contrasts", "statements", "claims", "risk_of_bias"):
        header, *records = _records(folder, table)
        columns = [header.index(c) for c in ("study_id", "attributed_study_id") if c in header]
        hits = [i for i, rec in enumerate(records, start=2) if any(rec[c] == study for c in columns)]
        if hits:
            expected[table] = hits
    assert rows == expected
    assert (study == "Chen2022") == ("claims" in rows)
    assert bool(own) == (study == "Cherkin2009") and (study != "Kwon2007" or shared == {"nbk56291_fig8": 9})
    if study == "Kwon2007":
        # The review team's case: cited by Kwon2007's studies.csv row and by three rows of
        # other studies (arm_outcomes.csv twice, contrasts.csv once).
        assert "  row 9: nbk56291_fig8 (3 other rows)\n" in out
    # Each document's row is its row in sources.csv.
    ids = [rec[0] for rec in _records(folder, "sources")]
    assert all(ids[row - 1] == source for source, row in {**own, **shared}.items())
    # Deleting what it lists leaves tables that read, and no document cited by none
    # that was not so before; the documents it keeps are still cited.
    before = {w["ref"] for w in uncited_sources({t: [dict(r.values) for r in rs]
                                                 for t, rs in read_raw(folder, SCHEMAS).tables.items()})}
    for table, numbers in [*rows.items(), ("sources", list(own.values()))]:
        records = _records(folder, table)
        _write_csv(folder / f"{table}.csv", records[0],
                   [rec for i, rec in enumerate(records[1:], start=2) if i not in numbers])
    data = read_raw(folder, SCHEMAS)
    assert study not in data.study_ids
    after = {w["ref"] for w in uncited_sources({t: [dict(r.values) for r in rs] for t, rs in data.tables.items()})}
    assert after == before
    assert set(shared) <= {str(r["source_id"]) for r in data.rows("sources")}


def test_study_rows_names_a_study_not_listed_and_the_one_meant(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    folder = _raw_copy(tmp_path)
    assert main(["study-rows", "kwon2007", "--raw", str(folder), "--schemas", str(SCHEMAS)]) == 2
    assert _error_line(capsys).endswith(
        "raw/studies.csv, column 'study_id': expected a study_id listed in studies.csv, found 'kwon2007'; did you "
        "mean 'Kwon2007'?")


def test_study_rows_refuses_tables_that_do_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _raw_copy(tmp_path)
    (folder / "studies.csv").write_text("study_id\n", encoding="utf-8")
    assert main(["study-rows", "Kwon2007", "--raw", str(folder), "--schemas", str(SCHEMAS)]) == 2
    assert "problem(s) in the raw data" in capsys.readouterr().err


def test_escalc_help_lists_every_measure_escalc_computes(capsys):
    # The help named five measures and "...": ROM, the change scores, proportions and
    # correlations could be found only in the source.
    from metareview.cli import ESCALC_MEASURES
    from metareview.effects import MEASURES

    assert ESCALC_MEASURES == MEASURES
    assert main(["escalc", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "metafor measure code: " + ", ".join(MEASURES) in help_text
