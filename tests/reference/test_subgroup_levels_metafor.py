"""``subgroups`` given a factor whose levels are not sorted, against metafor 3.8-1.

``tests/reference/metafor_subgroup_levels/levels.json`` is written by
``make_subgroup_levels_fixtures.R``. R's ``factor()`` keeps a factor's own level order
(dropping levels of no study) and metafor's ``mods = ~ factor(g)`` takes the first as
the reference, so a pandas Categorical ordered outpatient, inpatient, community gives
metafor's coefficients only if its order is kept; plain labels are sorted, as R sorts a
character vector's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from metafor_tolerances import assert_close

from metareview import escalc, subgroups
from metareview.pool import METAFOR_DEFAULTS

DATA: dict[str, Any] = json.loads(
    (Path(__file__).parent / "metafor_subgroup_levels" / "levels.json").read_text(encoding="utf-8")
)


def _check(model: Any, ref: dict[str, Any], variable: str) -> None:
    names = [name.replace("factor(setting)", f"factor({variable})") for name in ref["coef_names"]]
    assert list(model.coef_names) == names
    for key in ("beta", "se", "tau2", "QM", "QMp"):
        ours = {"beta": model.beta, "se": model.se_beta}.get(key, getattr(model, key, None))
        assert_close(ours, ref[key], "emulated", key)


@pytest.mark.parametrize("test", ["z", "knha"])
@pytest.mark.parametrize("kind", ["Series", "Categorical"])
def test_a_categoricals_first_category_is_the_reference_as_in_metafor(test: str, kind: str) -> None:
    cat = pd.Categorical(DATA["groups"], categories=DATA["levels"])  # "home" has no study
    groups = pd.Series(cat) if kind == "Series" else cat
    sg = subgroups(DATA["yi"], DATA["vi"], groups, test=test, variable="setting",
                   control=METAFOR_DEFAULTS)
    assert sg.levels == ("outpatient", "inpatient", "community")
    _check(sg.model, DATA[test]["factor"], "setting")


@pytest.mark.parametrize("test", ["z", "knha"])
def test_plain_labels_are_sorted_as_a_character_vectors_levels(test: str) -> None:
    sg = subgroups(DATA["yi"], DATA["vi"], DATA["groups"], test=test, variable="g",
                   control=METAFOR_DEFAULTS)
    assert sg.levels == ("community", "inpatient", "outpatient")
    _check(sg.model, DATA[test]["character"], "g")
    # the level order changes the coefficients, not the test of subgroup differences
    assert sg.QM == pytest.approx(DATA[test]["factor"]["QM"], rel=1e-9)


def test_escalcs_effect_sizes_are_taken_as_by_rma() -> None:
    # an MD of m1 - m2 = yi with SD 1 and n = 2/vi in both arms has vi = 1/n + 1/n, the
    # fixture's yi and vi, so the fit must be metafor's; ni = 2n
    d = pd.DataFrame({"yi": DATA["yi"], "vi": DATA["vi"], "g": DATA["groups"]},
                     index=range(201, 201 + len(DATA["yi"])))
    n = pd.Series(2.0 / d.vi, index=d.index)  # vi = 1/n1 + 1/n2 with sd 1 in both arms
    es = escalc("MD", m1i=d.yi, sd1i=1.0, n1i=n, m2i=0.0, sd2i=1.0, n2i=n)
    groups = pd.Series(pd.Categorical(d.g, categories=DATA["levels"]), index=d.index)
    sg = subgroups(es, groups=groups, variable="setting", test="knha", control=METAFOR_DEFAULTS)
    _check(sg.model, DATA["knha"]["factor"], "setting")
    assert sg.model.ni is not None and sg.model.ni.tolist() == (2 * n).tolist()
    assert sg.fits["community"].ni.tolist() == (2 * n[d.g == "community"]).tolist()
    with pytest.raises(ValueError, match="subgroups: es and groups have different indexes"):
        subgroups(es, groups=groups.sort_values())
    with pytest.raises(TypeError, match=r"subgroups\(es, groups=g\)"):
        subgroups(es, groups, groups)


@pytest.mark.parametrize("case", ["default", "given", "subset_default"])
def test_each_levels_fit_keeps_its_studies_labels_as_in_metafor(case: str) -> None:
    # metafor's rma(subset =) keeps the full data's row numbers (or the given slab), so
    # a level's leave1out rows name the studies they are, not 1..k_g
    ref = DATA["labels"][case]
    kwargs: dict[str, Any] = {"slab": DATA["labels"]["slab"]} if case == "given" else {}
    if case == "subset_default":
        kwargs["subset"] = [i != 0 for i in range(len(DATA["yi"]))]
    res = subgroups(DATA["yi"], DATA["vi"], DATA["groups"], **kwargs)
    assert set(res.fits) == set(ref)
    for lev, fit in res.fits.items():
        assert list(fit.slab) == ref[lev]["slab"], lev
        assert list(fit.leave1out().slab) == ref[lev]["leave1out"], lev
    kept = [str(s) for i, s in enumerate(kwargs.get("slab", range(1, 10))) if case != "subset_default" or i]
    assert list(res.model.slab) == kept
