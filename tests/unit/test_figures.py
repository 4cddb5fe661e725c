"""funnel and forest (metareview.figures) beyond the comparisons with metafor
(tests/reference/test_figures_metafor.py): the drawn region and axes, the arguments they
refuse, drawing on given axes, and that neither matplotlib nor the module reaches the
workflow's steps."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from scipy.stats import norm

import metareview
from metareview import figures
from metareview.arguments import level_percent
from metareview.figures import forest, funnel
from metareview.pool import RMAResult, rma

matplotlib.use("Agg")
import matplotlib.pyplot as plt

ROOT = Path(__file__).resolve().parents[2]

# dat.bcg's log risk ratios and absolute latitude (metadat), rounded
YI = [-0.8893, -1.5854, -1.3481, -1.4416, -0.2175, -0.7861, -1.6209, 0.0120, -0.4694,
      -1.3713, -0.3394, 0.4459, -0.0173]  # fmt: skip
VI = [0.3256, 0.1946, 0.4154, 0.0200, 0.0512, 0.0069, 0.2230, 0.0040, 0.0564, 0.0730,
      0.0124, 0.5325, 0.0714]  # fmt: skip
ABLAT = [44, 55, 42, 52, 13, 44, 19, 13, 27, 42, 18, 33, 33]


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def res() -> RMAResult:
    return rma(YI, VI, slab=[f"Trial {i}" for i in range(1, 14)])


def test_the_package_exports_forest_and_funnel() -> None:
    assert metareview.forest is forest and metareview.funnel is funnel
    assert {"forest", "funnel"} <= set(metareview.__all__) and "forest" in dir(metareview)


def test_importing_the_module_leaves_matplotlib_unloaded() -> None:
    code = "import sys, metareview.figures; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "src")})  # fmt: skip
    assert out.stdout.strip() == "False"


def test_no_step_imports_the_module() -> None:
    # the steps' code digests cover what they import (tests/unit/test_step_code.py):
    # the figures are for the library's users, not the workflow
    from test_step_code import SCRIPTS, import_closure

    for script in SCRIPTS.glob("*.py"):
        assert "figures" not in import_closure(script), script.name


@pytest.mark.parametrize("level", [95, 90])
def test_the_funnel_region_is_the_estimate_plus_minus_z_times_se(res: RMAResult, level: float) -> None:
    fp = funnel(res, level=level)
    z = norm.isf((1 - level / 100) / 2)
    np.testing.assert_allclose(fp.region_lb, res.estimate - z * fp.region_y, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(fp.region_ub, res.estimate + z * fp.region_y, rtol=1e-14, atol=1e-15)
    # from 0 at the top to 10% past the least precise study, as metafor's
    assert fp.region_y[0] == 0.0
    np.testing.assert_allclose(fp.region_y[-1], 1.1 * max(np.sqrt(VI)), rtol=1e-14)
    bottom, top = fp.ax.get_ylim()
    assert bottom > top == 0.0
    assert fp.level == level and fp.ax.get_ylabel() == "Standard Error"
    xs = fp.ax.lines[-1].get_xdata()  # the vertical line at the estimate
    assert list(xs) == [res.estimate, res.estimate]


@pytest.mark.parametrize("level", [57, 0.58])
def test_the_funnel_level_is_the_librarys_percentage(res: RMAResult, level: float) -> None:
    # 100 (1 - alpha) leaves 57.00000000000001 here; level_percent reads it as the model does
    assert funnel(res, level=level).level == level_percent(level) == round(level if level > 1 else 100 * level)


def test_the_funnel_of_a_meta_regression_is_centred_at_zero() -> None:
    fp = funnel(rma(YI, VI, mods={"ablat": ABLAT}))
    assert fp.refline == 0.0 and fp.ax.get_xlabel() == "Residual Value"
    # residuals: the fitted values taken from the observed effects
    assert not np.allclose(fp.x, YI)


@pytest.mark.parametrize("yaxis", ["seinv", "vinv"])
def test_inverse_axes_grow_upwards(res: RMAResult, yaxis: str) -> None:
    fp = funnel(res, yaxis=yaxis)
    low, high = fp.ax.get_ylim()
    assert low < high and low == pytest.approx(min(fp.y))
    assert np.all(np.isfinite(fp.region_lb))


def test_funnel_refuses_an_axis_it_does_not_offer(res: RMAResult) -> None:
    with pytest.raises(ValueError, match="yaxis must be one of"):
        funnel(res, yaxis="ni")


def test_forest_draws_on_given_axes(res: RMAResult) -> None:
    fig, ax = plt.subplots()
    fo = forest(res, ax=ax, annotate=False)
    assert fo.ax is ax and fo.fig is fig and not ax.texts
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [*res.slab, "RE Model"]


def test_an_equal_effects_forest_has_no_prediction_interval() -> None:
    fo = forest(rma(YI, VI, method="FE"), mlab="Common effect")
    assert fo.pi is None and fo.pi_line is None
    assert [t.get_text() for t in fo.ax.get_yticklabels()][-1] == "Common effect"
    assert forest(rma(YI, VI), addpred=False).pi is None


def test_a_decreasing_transf_keeps_the_bounds_in_order(res: RMAResult) -> None:
    fo = forest(res, transf=lambda x: -x, refline=None, addpred=True)
    assert np.all(fo.ci_lb <= fo.ci_ub)
    lo, est, hi = fo.diamond[0, 0], fo.diamond[1, 0], fo.diamond[2, 0]
    assert lo < est < hi and est == pytest.approx(-res.estimate)
    assert fo.pi is not None and fo.pi[0] < fo.pi[1]


def test_a_nan_bound_after_transf_is_not_replaced_by_the_other() -> None:
    # metafor's .psort leaves a pair with a missing bound as it is: the finite bound is
    # kept, not copied into a zero-width interval
    def sqrt(x: float) -> float:
        return float(np.sqrt(x)) if x >= 0 else float("nan")

    f = rma([0.1, 0.5, -0.3, 0.2], [0.02, 0.03, 0.05, 0.04])
    fo = forest(f, transf=sqrt, refline=None)
    yi, se = np.asarray(f.yi), np.sqrt(np.asarray(f.vi))
    lb = yi - norm.isf(0.025) * se
    assert np.array_equal(np.isnan(fo.ci_lb), lb < 0) and np.all(np.isfinite(fo.ci_ub))
    assert np.allclose(fo.ci_ub, np.sqrt(yi + norm.isf(0.025) * se))
    assert np.isnan(fo.diamond[0, 0]) and fo.diamond[2, 0] == pytest.approx(np.sqrt(f.ci_ub))


def test_forest_refuses_a_meta_regression_and_mislabelled_studies(res: RMAResult) -> None:
    with pytest.raises(ValueError, match="without moderators"):
        forest(rma(YI, VI, mods={"ablat": ABLAT}))
    with pytest.raises(ValueError, match="2 labels for the model's 13 studies"):
        forest(res, slab=["a", "b"])


def test_the_figures_module_is_documented() -> None:
    assert figures.__doc__ and forest.__doc__ and funnel.__doc__
    assert "Sterne" in (funnel.__doc__ or "")


def test_the_statistics_pages_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "docs" / "statistics.md").read_text(encoding="utf-8")
    section = text.split("### Funnel and forest plots\n", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    names: dict[str, object] = {}
    exec(compile(code, "<example>", "exec"), names)  # noqa: S102 - the docs' own code
    assert (tmp_path / "forest.pdf").stat().st_size > 0
    fo = names["fo"]
    # metafor's default: no prediction interval unless addpred=True
    assert isinstance(fo, figures.ForestPlot) and fo.pi is None
    assert fo.ax.get_xlabel() == "Risk Ratio"
