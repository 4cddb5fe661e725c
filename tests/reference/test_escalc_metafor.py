"""escalc against metafor 3.8-1 on the published datasets (metadat 1.2-0).

For every ``<dataset>__<measure>.json`` fixture whose ``yi_source`` is escalc, the
recorded ``escalc_call`` is replayed with the recorded ``input`` columns and
``escalc_settings``; ``yi`` and ``vi`` must match to ``closed`` (``metafor_tolerances.py``,
1e-10 relative), and so must
``smd_details`` (SMD) and ``continuity_correction_applied`` (2x2 measures).

The fixtures live in ``tests/reference/metafor/`` (copied there with the model
fixtures); until that copy exists they are read from the shared reference folder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from metafor_tolerances import assert_close

from metareview.effects import escalc, hedges_j

_LOCAL = Path(__file__).parent / "metafor"
_SHARED = Path("/work/shared/reference/metafor")


def metafor_fixture_dir() -> Path | None:
    """The project copy of the metafor fixtures if present, else the shared folder."""
    for folder in (_LOCAL, _SHARED):
        if folder.is_dir() and any(folder.glob("*__*.json")):
            return folder
    return None


FIXTURE_DIR = metafor_fixture_dir()


def _escalc_fixtures() -> list[Path]:
    if FIXTURE_DIR is None:
        return []
    return [
        p
        for p in sorted(FIXTURE_DIR.glob("*__*.json"))
        if json.loads(p.read_text())["yi_source"].startswith("escalc")
    ]


FILES = _escalc_fixtures()
pytestmark = pytest.mark.skipif(FIXTURE_DIR is None, reason="metafor fixtures not available")


def test_expected_datasets_present() -> None:
    assert {p.name for p in FILES} == {
        "dat.bcg__OR.json",
        "dat.bcg__RR.json",
        "dat.hine1989__RD.json",
        "dat.lee2004__OR.json",
        "dat.lee2004__RR.json",
        "dat.normand1999__MD.json",
        "dat.normand1999__SMD.json",
    }


def _replay(fixture: dict[str, Any]):
    """Turn ``escalc(measure="OR", ai=tpos, ..., data=dat.bcg)`` into a Python call."""
    call = fixture["escalc_call"]
    measure = re.search(r'measure="(\w+)"', call).group(1)
    assert measure == fixture["measure"]
    columns = dict(re.findall(r"(\w+)=(\w+)(?=[,)])", call))
    columns.pop("data", None)
    kwargs = {
        arg: np.array([np.nan if v is None else v for v in fixture["input"][col]], dtype=float)
        for arg, col in columns.items()
    }
    settings = fixture["escalc_settings"]
    return escalc(
        measure,
        add=settings["add"],
        to=settings["to"],
        drop00=settings["drop00"],
        vtype=settings["vtype"],
        **kwargs,
    )


def _assert_close(actual: np.ndarray, expected: list[Any], what: str) -> None:
    # R's NA (None) must be NaN here and vice versa (checked by assert_close)
    assert_close(actual, expected, "closed", what)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_yi_vi(path: Path) -> None:
    fixture = json.loads(path.read_text())
    es = _replay(fixture)
    assert es.k == fixture["k"]
    _assert_close(es.yi, fixture["yi"], f"{path.stem}: yi")
    _assert_close(es.vi, fixture["vi"], f"{path.stem}: vi")
    if "continuity_correction_applied" in fixture:
        assert es.add_applied.tolist() == fixture["continuity_correction_applied"]
    assert es.warnings == ()


@pytest.mark.parametrize(
    "path", [p for p in FILES if p.name.endswith("__SMD.json")], ids=lambda p: p.stem
)
def test_smd_details(path: Path) -> None:
    fixture = json.loads(path.read_text())
    details = fixture["smd_details"]
    es = _replay(fixture)
    _assert_close(es.details["df"], details["df"], "df")
    _assert_close(es.details["sd_pooled"], details["sd_pooled"], "sd_pooled")
    _assert_close(es.details["d_uncorrected"], details["d_uncorrected"], "d")
    _assert_close(es.details["correction_factor"], details["correction_factor"], "J")
    _assert_close(np.asarray(hedges_j(details["df"])), details["correction_factor"], "hedges_j")
    # metafor uses the exact J; the approximation differs at this precision
    approx = np.asarray(details["correction_factor_approx"])
    assert np.all(np.abs(es.details["correction_factor"] - approx) > 1e-8)
    assert es.source == ("means",) * fixture["k"]
