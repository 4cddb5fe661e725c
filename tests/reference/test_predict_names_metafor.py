"""``predict(newmods=...)`` with named moderators, against metafor 3.8-1.

``tests/reference/metafor_predict_names/predict.json`` is written by
``make_predict_names_fixtures.R``. metafor matches the names of ``newmods`` to the
model's moderators, so that their order does not matter: read by position, columns in
another order than the fit's gave the prediction for other moderator values, silently.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from metafor_tolerances import assert_close

from metareview.pool import METAFOR_DEFAULTS, rma

DATA: dict[str, Any] = json.loads(
    (Path(__file__).parent / "metafor_predict_names" / "predict.json").read_text(encoding="utf-8")
)
# A Series indexed by name is one prediction: only for the cases of one.
CASES = [(model, case, kind) for model in sorted(DATA) for case, ref in sorted(DATA[model]["predictions"].items())
         for kind in ("DataFrame", "dict", "Series") if kind != "Series" or len(ref["pred"]) == 1]
FIELDS = ("pred", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub")


def _model(name: str) -> Any:
    d = DATA[name]
    # metafor's own stopping rule (Fisher scoring to 1e-5), as the fixtures were fitted
    return rma(d["yi"], d["vi"], mods=pd.DataFrame(d["mods"]), test=d["test"], control=METAFOR_DEFAULTS)


@pytest.mark.parametrize(("model", "case", "kind"), CASES)
def test_named_newmods_are_matched_by_name_as_metafor_matches_them(model: str, case: str, kind: str) -> None:
    ref = DATA[model]["predictions"][case]
    named = ref["newmods"]  # in the order given, which is not always the fit's
    newmods = {"DataFrame": pd.DataFrame(named), "dict": named,
               "Series": pd.Series({k: v[0] for k, v in named.items()})}[kind]
    got = _model(model).predict(newmods=newmods)
    for field in FIELDS:
        assert_close(np.asarray(getattr(got, field)), np.asarray(ref[field], dtype=float), "tight",
                     f"{model} {case} {kind} {field}")


def test_newmods_that_name_an_unknown_moderator_or_leave_one_out_are_refused_as_metafor_refuses_them() -> None:
    refused = DATA["numeric"]["refused"]
    res = _model("numeric")
    assert "Could not find variable 'w'" in refused["unknown"]
    with pytest.raises(ValueError, match=r"names \['w'\], not among them"):
        res.predict(newmods={"x": 2.0, "w": 1.0})
    assert "does not specify values for this variable: z" in refused["missing"]
    with pytest.raises(ValueError, match=r"lacks \['z'\]"):
        res.predict(newmods=pd.DataFrame({"x": [2.0]}))
    with pytest.raises(ValueError, match=r"names \['x'\] twice"):
        res.predict(newmods=pd.DataFrame([[2.0, 1.0, 3.0]], columns=["x", "z", "x"]))
    # An array is read by position, in the fit's order.
    ref = DATA["numeric"]["predictions"]["x_then_z"]
    assert_close(res.predict(newmods=np.column_stack([ref["newmods"]["x"], ref["newmods"]["z"]])).pred,
                 np.asarray(ref["pred"]), "tight", "by position")
    # A model fitted from an unnamed array reads any newmods by position, as metafor does.
    d = DATA["numeric"]
    plain = rma(d["yi"], d["vi"], mods=np.column_stack([d["mods"]["x"], d["mods"]["z"]]), control=METAFOR_DEFAULTS)
    assert_close(plain.predict(newmods=pd.DataFrame({"p": ref["newmods"]["x"], "q": ref["newmods"]["z"]})).pred,
                 np.asarray(ref["pred"]), "tight", "unnamed model")
