"""One sampling variance (or standard error) for every study, and numbers given as text,
against metafor 3.8-1.

``tests/reference/metafor_scalar_variance/scalar.json`` is written by
``make_scalar_variance_fixtures.R``. metafor recycles a ``vi`` or ``sei`` of length one
to every study, and stops on effect sizes or moderators given as text, which numpy
would otherwise parse without a word.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from metafor_tolerances import assert_close

from metareview import escalc, ranktest
from metareview.pool import METAFOR_DEFAULTS, rma

DATA: dict[str, Any] = json.loads(
    (Path(__file__).parent / "metafor_scalar_variance" / "scalar.json").read_text(encoding="utf-8")
)
FIELDS = ("b", "se", "tau2", "se_tau2", "ci_lb", "ci_ub", "QE", "I2", "H2")


@pytest.mark.parametrize("case", sorted(DATA["fits"]))
def test_one_variance_or_standard_error_is_every_studys_as_in_metafor(case: str) -> None:
    d = DATA["fits"][case]
    given = {"vi": d["vi"]} if "vi" in d else {"sei": d["sei"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Knapp-Hartung with an EE model warns, as in metafor
        res = rma(d["yi"], method=d["method"], test=d["test"], mods=d.get("mods"),
                  control=METAFOR_DEFAULTS, **given)
    assert res.k == len(d["yi"])
    for field in FIELDS:
        # every coefficient's b, se and bounds (se, ci_lb, ci_ub are the first's alone)
        ours = getattr(res, {"b": "beta", "se": "se_beta", "ci_lb": "ci_lb_beta", "ci_ub": "ci_ub_beta"}.get(field, field))
        assert_close(np.asarray(ours, dtype=float), np.asarray(d[field], dtype=float), "tight", f"{case} {field}")


def test_a_variance_of_another_length_than_one_or_k_is_refused_as_in_metafor() -> None:
    assert "is not the same" in DATA["refused"]["vi_of_another_length"]
    with pytest.raises(ValueError, match=r"differ in length \(7 vs 2\)"):
        rma(DATA["fits"]["vi_REML_z"]["yi"], [0.05, 0.04])


def test_effect_sizes_and_moderators_given_as_text_are_refused_as_in_metafor() -> None:
    assert "not numeric" in DATA["refused"]["text_yi"]
    assert "character variables" in DATA["refused"]["text_mods"]
    yi = DATA["fits"]["vi_REML_z"]["yi"]
    as_text = [str(y) for y in yi]
    for given in (as_text, np.array(as_text), pd.Series(as_text), pd.Series(as_text, dtype="string")):
        with pytest.raises(ValueError, match=r"yi is not numeric: it holds text \('0.1'\)"):
            rma(given, 0.05)
    with pytest.raises(ValueError, match=r"vi is not numeric"):
        rma(yi, ["0.05"] * len(yi))
    with pytest.raises(ValueError, match=r"mods is not numeric.*get_dummies"):
        rma(yi, 0.05, mods=[str(i) for i in range(len(yi))])
    with pytest.raises(ValueError, match=r"mods\['g'\] is not numeric.*get_dummies"):
        rma(yi, 0.05, mods=pd.DataFrame({"g": list("abcabcc")}))
    with pytest.raises(ValueError, match=r"yi is not numeric"):
        ranktest(yi=as_text, vi=[0.05] * len(yi))
    fit = rma(yi, 0.05, mods=pd.DataFrame({"x": np.arange(7.0)}))
    for newmods in (["1"], {"x": ["1"]}, pd.DataFrame({"x": ["1"]})):
        with pytest.raises(ValueError, match=r"newmods.* is not numeric"):
            fit.predict(newmods=newmods)
    # numbers of object dtype (a column with a missing value read by pandas) still fit
    assert rma(pd.Series(yi, dtype=object), 0.05).k == len(yi)


def test_a_moderator_far_from_the_intercepts_scale_is_told_to_be_centred_not_dropped() -> None:
    yi = DATA["fits"]["vi_REML_z"]["yi"]
    days = np.arange(30001.0, 30008.0)  # a date as a day count: not redundant, badly scaled
    with pytest.raises(ValueError, match=r"not of full rank.*no moderator is redundant.*centre or rescale"):
        rma(yi, 0.05, mods=days)
    with pytest.raises(ValueError, match=r"not of full rank.*drop the redundant moderator"):
        rma(yi, 0.05, mods=np.column_stack([days - 30000, 2 * (days - 30000)]))
    centred = rma(yi, 0.05, mods=days - days.mean(), control=METAFOR_DEFAULTS)
    ref = DATA["fits"]["vi_REML_mods"]  # x = 1..7: the same slope as the days centred
    assert_close(centred.beta[1], ref["b"][1], "tight", "slope")


def test_escalc_near_the_float_limits_gives_metafors_warning_only() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        escalc("ROM", m1i=[1e200, 1], sd1i=[1e200, 1], n1i=[10, 10],
               m2i=[1e-200, 1], sd2i=[1e200, 1], n2i=[10, 10])
    assert [type(w.message).__name__ for w in caught] == ["EscalcWarning"]
