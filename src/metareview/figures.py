"""Funnel, forest and Baujat plots of a fitted model, drawn with matplotlib (metafor's
``funnel``, ``forest`` and ``baujat``).

For users of the library, who want to look at a fit, save the figure or adjust it::

    from metareview import escalc, rma
    from metareview.figures import baujat, forest, funnel

    res = rma(es.yi, es.vi, slab=labels)
    fp = funnel(res)            # fp.fig, fp.ax; fp.x, fp.y, fp.slab as metafor returns
    fo = forest(res, transf=np.exp, refline=1)
    fo.fig.savefig("forest.pdf")
    bp = baujat(res)            # bp.x, bp.y, bp.ids, bp.slab as metafor returns

Each function returns the matplotlib ``Figure`` and ``Axes`` with the values drawn, so
that tests (and users) read the plotted data rather than pixels. matplotlib is imported
inside the functions: importing this module costs nothing more than numpy.

The workflow's report does not use this module: its forest plots are written as SVG by
:mod:`metareview.plots`, without matplotlib, for speed; no workflow step imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from metareview.arguments import alpha_from_level, level_percent
from metareview.diagnostics import _EPS, _deletion_fits, _raw_residuals, rstandard
from metareview.mh import MHResult, PetoResult
from metareview.mh import _deletion_fits as _table_deletion_fits
from metareview.pool import _FIXED, RMAResult, apply_transf, require_model, sort_bounds

#: metafor's funnel(yaxis=...) choices offered here: what the y axis shows for a study
#: of sampling variance v (its label as metafor writes it)
YAXES = {
    "sei": "Standard Error",
    "vi": "Variance",
    "seinv": "Inverse Standard Error",
    "vinv": "Inverse Variance",
}


def _studies(res: Any, caller: str) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """The studies a plot draws: their yi, vi and labels.

    An :class:`RMAResult` is checked by :func:`~metareview.pool.require_model`; a
    Mantel-Haenszel or Peto fit (:class:`~metareview.mh.MHResult`,
    :class:`~metareview.mh.PetoResult`) is drawn as metafor draws an ``rma.mh`` or
    ``rma.peto`` object: from its escalc'd yi and vi (its ``yi.f``, ``vi.f``, with the
    fit's first ``add``/``to``), the studies without a yi (``not_na_yivi``) left out.
    """
    if isinstance(res, (MHResult, PetoResult)):
        slab = tuple(str(s) for s, keep in zip(res.slab, res.not_na_yivi, strict=True) if keep)
        yi, vi = np.asarray(res.yi, dtype=float), np.asarray(res.vi, dtype=float)
        if yi.size == 0:
            raise ValueError(f"{caller}: no study of the fit has an effect size (yi) to draw")
        return yi, vi, slab
    require_model(res, caller)
    return (np.asarray(res.yi, dtype=float), np.asarray(res.vi, dtype=float),
            tuple(str(s) for s in res.slab))  # fmt: skip


@dataclass(frozen=True, eq=False)
class FunnelPlot:
    """A drawn funnel plot: the matplotlib ``fig`` and ``ax``, and what was drawn.

    ``x``, ``y`` and ``slab`` are the data frame metafor's ``funnel`` returns
    (invisibly): the studies' observed effects (residuals for a model with moderators)
    and their standard errors (or ``yaxis``'s other measure of precision).
    ``refline`` is the centre of the pseudo-confidence region (the estimate; 0 for
    residuals), whose edges are ``region_lb``/``region_ub`` at heights ``region_y``.
    """

    fig: Any
    ax: Any
    x: np.ndarray
    y: np.ndarray
    slab: tuple[str, ...]
    yaxis: str
    refline: float
    level: float
    region_y: np.ndarray
    region_lb: np.ndarray
    region_ub: np.ndarray


@dataclass(frozen=True, eq=False)
class ForestPlot:
    """A drawn forest plot: the matplotlib ``fig`` and ``ax``, and what was drawn (after
    ``transf``).

    One row per study, the first study at the top (``rows`` = k, ..., 1): its effect
    ``yi`` and confidence interval ``ci_lb``/``ci_ub``, and the artist of the intervals
    (``ci_lines``, a LineCollection). The model at row -1: the diamond's vertices
    ``diamond`` ((ci_lb, -1), (estimate, -1 + h), (ci_ub, -1), (estimate, -1 - h)) and
    its artist ``diamond_patch``; the prediction interval ``pi`` (lower, upper) and its
    artist ``pi_line`` (None for an equal- or fixed-effects model, or without
    ``addpred=True``). ``annotations``: the text on the right, one per study and the
    model's last, as metafor's ``annotate=TRUE`` writes it.
    """

    fig: Any
    ax: Any
    slab: tuple[str, ...]
    rows: np.ndarray
    yi: np.ndarray
    ci_lb: np.ndarray
    ci_ub: np.ndarray
    ci_lines: Any
    diamond: np.ndarray
    diamond_patch: Any
    pi: tuple[float, float] | None
    pi_line: Any
    annotations: tuple[str, ...]


def funnel(
    res: RMAResult | MHResult | PetoResult,
    yaxis: str = "sei",
    level: float | None = None,
    refline: float | None = None,
    ax: Any = None,
    xlab: str | None = None,
    ylab: str | None = None,
) -> FunnelPlot:
    """Funnel plot of a fitted model (metafor's ``funnel.rma``, its defaults).

    Each study's observed effect y_i (for a model with moderators, its residual
    e_i = y_i - x_i'b, as ``rstandard``) against its standard error (``yaxis="sei"``,
    the axis inverted, 0 at the top), the variance ``"vi"``, or their inverses
    ``"seinv"``/``"vinv"``; a vertical line at ``refline`` (the estimate b, or 0 for
    residuals) and the pseudo-confidence region

    .. math:: b \\pm z_{1-\\alpha/2} \\sqrt{v}

    at the model's ``level``, within which about 1 - alpha of the studies would lie
    without heterogeneity or small-study effects (Sterne & Egger 2001). Asymmetry hints
    at small-study effects, of which publication bias is one cause among several.

    Parameters
    ----------
    res : RMAResult, MHResult or PetoResult
        A fitted model (:func:`metareview.rma`), or a Mantel-Haenszel or Peto fit
        (:func:`metareview.rma_mh`, :func:`metareview.rma_peto`), drawn as metafor draws
        them: the studies' escalc'd yi and vi (with the fit's first ``add``/``to``; a
        study without yi left out) around the pooled estimate.
    yaxis : {"sei", "vi", "seinv", "vinv"}
        The measure of precision on the y axis.
    level : float, optional
        The region's level (as metafor reads it: 95, 0.95 or 0.05); default the model's.
    refline : float, optional
        The region's centre; default the estimate, or 0 for a model with moderators.
    ax : matplotlib.axes.Axes, optional
        Draw on these axes; default a new figure.
    xlab, ylab : str, optional
        Axis labels; default metafor's ("Observed Outcome" or "Residual Value";
        "Standard Error", ...).

    Returns
    -------
    FunnelPlot
        ``fig``, ``ax``, and the drawn ``x``, ``y``, ``slab`` (metafor's returned data
        frame), ``refline`` and the region's edges.

    References
    ----------
    Sterne JAC, Egger M (2001). Funnel plots for detecting bias in meta-analysis:
    guidelines on choice of axis. Journal of Clinical Epidemiology 54(10):1046-1055.

    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
    Journal of Statistical Software 36(3):1-48 (``funnel.rma``, metafor 3.8-1).
    """
    yi_all, vi_all, labels = _studies(res, "funnel")
    if yaxis not in YAXES:
        raise ValueError(f"yaxis must be one of {list(YAXES)}, not {yaxis!r}")
    lvl = res.level if level is None else level
    alpha = alpha_from_level(lvl)
    from scipy.stats import norm

    z = float(norm.isf(alpha / 2.0))
    if not isinstance(res, RMAResult) or res.int_only:
        x = yi_all.copy()
        sei = np.sqrt(vi_all)
        centre = res.estimate if refline is None else float(refline)
        xlabel = "Observed Outcome"
    else:
        # a meta-regression's funnel is of its residuals, as metafor's: rstandard(res)
        std = rstandard(res)
        x, sei = np.asarray(std.resid, dtype=float), np.asarray(std.se, dtype=float)
        centre = 0.0 if refline is None else float(refline)
        xlabel = "Residual Value"
    vi = sei**2
    y = {"sei": sei, "vi": vi, "seinv": 1.0 / sei, "vinv": 1.0 / vi}[yaxis]
    if not np.all(np.isfinite(y)):
        raise ValueError(
            f"funnel(yaxis={yaxis!r}) needs every study's standard error positive and finite"
        )

    # metafor's axis limits: the region reaches 10% beyond the least precise study
    if yaxis in ("sei", "vi"):
        top, bottom = 0.0, float(np.max(y))
        bottom += 0.1 * bottom
        heights = np.linspace(top, bottom, 1000)
    else:
        low, high = float(np.min(y)), float(np.max(y))
        heights = np.linspace(low, high + 0.1 * (high - low), 1000)
    # the sampling variance at each height (for the inverses, heights are above 0)
    if yaxis == "sei":
        v_at = heights**2
    elif yaxis == "vi":
        v_at = heights
    elif yaxis == "seinv":
        v_at = 1.0 / heights**2
    else:
        v_at = 1.0 / heights
    half = z * np.sqrt(v_at)
    lb, ub = centre - half, centre + half
    least = np.max(vi)  # the region's widest point within the studies' range
    xmin = min(centre - z * np.sqrt(least), float(np.min(x)))
    xmax = max(centre + z * np.sqrt(least), float(np.max(x)))
    pad = 0.1 * (xmax - xmin)

    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(6.0, 5.0), layout="constrained")
    else:
        fig = ax.figure
    ax.set_facecolor("lightgray")
    finite = np.isfinite(lb) & np.isfinite(ub)
    ax.fill_betweenx(heights[finite], lb[finite], ub[finite], color="white", zorder=1)
    ax.plot(lb[finite], heights[finite], color="black", linestyle=":", linewidth=1, zorder=2)
    ax.plot(ub[finite], heights[finite], color="black", linestyle=":", linewidth=1, zorder=2)
    ax.plot([centre, centre], [heights[0], heights[-1]], color="black", linestyle=":",
            linewidth=1, zorder=2)  # fmt: skip
    ax.scatter(x, y, color="black", s=20, zorder=3)
    ax.set_xlim(xmin - pad, xmax + pad)
    if yaxis in ("sei", "vi"):
        ax.set_ylim(heights[-1], heights[0])  # 0 at the top, as metafor
    else:
        ax.set_ylim(heights[0], heights[-1])
    ax.set_xlabel(xlabel if xlab is None else xlab)
    ax.set_ylabel(YAXES[yaxis] if ylab is None else ylab)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return FunnelPlot(
        fig=fig, ax=ax, x=x, y=y, slab=labels, yaxis=yaxis,
        refline=centre, level=level_percent(lvl), region_y=heights, region_lb=lb,
        region_ub=ub,
    )  # fmt: skip


@dataclass(frozen=True, eq=False)
class BaujatPlot:
    """A drawn Baujat plot: the matplotlib ``fig`` and ``ax``, and what was drawn.

    ``x``, ``y``, ``ids`` and ``slab`` are the data frame metafor's ``baujat`` returns
    (invisibly): each study's contribution to the Q statistic (its squared Pearson
    residual) and its influence on the overall result (or fitted value), its number in
    the data given (1-based, as metafor's ``ids``) and its label. ``texts`` are the
    labels written at (x, y) (``ids`` or ``slab``, as ``symbol`` says; none where x or y
    is nan); ``xlab`` and ``ylab`` the axes' labels.
    """

    fig: Any
    ax: Any
    x: np.ndarray
    y: np.ndarray
    ids: np.ndarray
    slab: tuple[str, ...]
    texts: tuple[Any, ...]
    xlab: str
    ylab: str


def _baujat_values(
    res: RMAResult | MHResult | PetoResult,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """x, y, ids and slab of metafor's ``baujat.rma`` (see :func:`baujat`)."""
    if isinstance(res, (MHResult, PetoResult)):
        pooled = np.asarray(res.not_na, dtype=bool)
        if int(pooled.sum()) == 1:
            raise ValueError("baujat needs k >= 2 studies (metafor: Stopped because k = 1.)")
        has_yi = np.asarray(res.not_na_yivi, dtype=bool)
        n = has_yi.size
        # the studies' escalc'd yi and vi, nan where a study has none (metafor's yi.f)
        yi, vi = np.full(n, np.nan), np.full(n, np.nan)
        yi[has_yi], vi[has_yi] = res.yi, res.vi
        e = yi - float(res.beta)
        e[np.abs(e) < 100 * _EPS] = 0.0
        beta_del, var_del = _table_deletion_fits(res)
        with np.errstate(divide="ignore", invalid="ignore"):
            x = e**2 / vi  # tau^2 = 0: an equal-effects model
            y = (beta_del - float(res.beta)) ** 2 / var_del
        ids = np.arange(1, n + 1)
        slab = tuple(s for s, keep in zip(res.slab, pooled, strict=True) if keep)
        return x[pooled], y[pooled], ids[pooled], slab
    require_model(res, "baujat")
    if res.k == 1:
        raise ValueError("baujat needs k >= 2 studies (metafor: Stopped because k = 1.)")
    X = np.asarray(res.X, dtype=float)
    # the refits without each study, with the model's method, test, tau^2 (if given),
    # weights and control: those behind influence() (one batch without moderators)
    _, _, _, beta_del, vb_del, _ = _deletion_fits(res, loop=not res.int_only or res.custom_weights)
    fitted = X @ np.asarray(res.beta, dtype=float)
    delpred = np.einsum("ij,ij->i", X, beta_del)
    vdelpred = np.einsum("ij,ijk,ik->i", X, vb_del, X)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = _raw_residuals(res) ** 2 / (np.asarray(res.vi, dtype=float) + float(res.tau2))
        y = (delpred - fitted) ** 2 / vdelpred
    if res.subset is not None:
        ids = np.flatnonzero(np.asarray(res.subset, dtype=bool)) + 1
    else:
        ids = np.arange(1, res.k + 1)
    return x, y, ids, tuple(str(s) for s in res.slab)


def baujat(
    res: RMAResult | MHResult | PetoResult,
    symbol: str = "ids",
    grid: bool = True,
    ax: Any = None,
    xlab: str | None = None,
    ylab: str | None = None,
) -> BaujatPlot:
    """Baujat plot of a fitted model (metafor's ``baujat.rma``; Baujat et al. 2002).

    For each study i, on the x axis its contribution to the Q statistic, its squared
    Pearson residual (for an equal-effects model without moderators these sum to Q),

    .. math:: \\frac{(y_i - x_i'b)^2}{v_i + \\hat\\tau^2},

    and on the y axis its influence on the overall result: the squared change of its
    fitted value when the study is left out and the model refitted (same method, test,
    tau^2 if given, weights and control), over the variance of the refit's fitted value

    .. math:: \\frac{(x_i'b_{(-i)} - x_i'b)^2}{x_i' V_{(-i)} x_i},

    x_i the study's row of the model matrix (without moderators x_i'b is the pooled
    estimate). Studies at the right contribute most to the heterogeneity, studies at
    the top move the result most; each is written as its number (``ids``) or label. A
    refit that fails (a coefficient not estimable without the study) leaves y nan, as
    metafor's NA.

    Parameters
    ----------
    res : RMAResult, MHResult or PetoResult
        A fitted model, with or without moderators, k >= 2 (:func:`metareview.rma`), or a
        Mantel-Haenszel or Peto fit (:func:`metareview.rma_mh`,
        :func:`metareview.rma_peto`), as metafor's ``baujat.rma.mh`` and
        ``baujat.rma.peto``: x_i = (y_i - b)^2 / v_i from the studies' escalc'd yi and vi
        (nan for a study without yi), y_i from the tables pooled again without table i,
        one point per table pooled.
    symbol : {"ids", "slab"}
        What marks a study: its number in the data given (metafor's default) or its label.
    grid : bool
        Draw a light grey grid, as metafor's default.
    ax : matplotlib.axes.Axes, optional
        Draw on these axes; default a new figure.
    xlab, ylab : str, optional
        Axis labels; default metafor's ("Squared Pearson Residual" for a random-effects
        model, "Contribution to Overall Heterogeneity" (or "Residual", with moderators)
        for an equal-effects one; "Influence on Overall Result", or "Fitted Value" with
        moderators).

    Returns
    -------
    BaujatPlot
        ``fig``, ``ax``, and the drawn ``x``, ``y``, ``ids``, ``slab`` (metafor's
        returned data frame) and ``texts``.

    References
    ----------
    Baujat B, Mahe C, Pignon J-P, Hill C (2002). A graphical method for exploring
    heterogeneity in meta-analyses: application to a meta-analysis of 65 trials.
    Statistics in Medicine 21(18):2641-2652.

    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
    Journal of Statistical Software 36(3):1-48 (``baujat.rma``, metafor 3.8-1).
    """
    if symbol not in ("ids", "slab"):
        raise ValueError(f'symbol must be "ids" or "slab", not {symbol!r}')
    x, y, ids, slab = _baujat_values(res)
    int_only = not isinstance(res, RMAResult) or res.int_only
    if res.method in ("FE", "EE", "CE"):
        xdefault = ("Contribution to Overall Heterogeneity" if int_only
                    else "Contribution to Residual Heterogeneity")  # fmt: skip
    else:
        xdefault = "Squared Pearson Residual"
    ydefault = "Influence on Overall Result" if int_only else "Influence on Fitted Value"
    xlabel = xdefault if xlab is None else xlab
    ylabel = ydefault if ylab is None else ylab

    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(6.0, 5.0), layout="constrained")
    else:
        fig = ax.figure
    marks = [str(i) for i in ids] if symbol == "ids" else list(slab)
    texts = tuple(
        ax.text(a, b, mark, ha="center", va="center", fontsize=8)
        for a, b, mark in zip(x, y, marks, strict=True)
        if np.isfinite(a) and np.isfinite(b)
    )
    # metafor's limits: the range of the values (R's axes add 4% on each side)
    for values, setter in ((x, ax.set_xlim), (y, ax.set_ylim)):
        finite = values[np.isfinite(values)]
        if finite.size:
            low, high = float(finite.min()), float(finite.max())
            pad = 0.04 * (high - low) if high > low else 0.5
            setter(low - pad, high + pad)
    if grid:
        ax.grid(color="lightgray")
        ax.set_axisbelow(True)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return BaujatPlot(
        fig=fig, ax=ax, x=x, y=y, ids=ids, slab=slab, texts=texts, xlab=xlabel, ylab=ylabel
    )


def _mlab(method: str) -> str:
    """metafor's default model label of ``forest``."""
    return {"FE": "FE Model", "EE": "EE Model", "CE": "CE Model"}.get(method, "RE Model")


def forest(
    res: RMAResult | MHResult | PetoResult,
    transf: Callable[[Any], Any] | None = None,
    refline: float | None = 0.0,
    level: float | None = None,
    addpred: bool = False,
    annotate: bool = True,
    digits: int = 2,
    slab: Sequence[str] | None = None,
    mlab: str | None = None,
    xlab: str = "Observed Outcome",
    ax: Any = None,
) -> ForestPlot:
    """Forest plot of a model without moderators (metafor's ``forest.rma``).

    One row per study, the first at the top: its effect y_i and confidence interval
    y_i +/- z_{1-alpha/2} sqrt(v_i) (at the model's ``level``, as metafor), a square
    whose area grows with the study's weight; below, the pooled estimate as a diamond
    spanning its confidence interval (ci_lb, ci_ub), and for a random-effects model the
    prediction interval (pi_lb, pi_ub) as a line through it with ``addpred=True``
    (metafor's ``addpred``, off by default as in metafor 3.8-1). With ``annotate``, each
    row's estimate and interval are written on the right as "est [lb, ub]" with
    ``digits`` decimals, as metafor writes them: each of the three columns padded on
    the left to its widest entry over the studies and the model (``formatC(width =)``),
    so that " 0.45 [-0.98,  1.88]" lines up with "-0.34 [-0.56, -0.12]".

    Parameters
    ----------
    res : RMAResult, MHResult or PetoResult
        A fitted model without moderators (:func:`metareview.rma`), or a
        Mantel-Haenszel or Peto fit (:func:`metareview.rma_mh`,
        :func:`metareview.rma_peto`), drawn as metafor draws them: the studies' escalc'd
        yi and vi (with the fit's first ``add``/``to``; a study without yi left out),
        the diamond the pooled estimate b +/- z_{1-alpha/2} se(b); the squares' areas
        are proportional to 1/v_i, not (as metafor's) to the fit's own weights.
    transf : callable, optional
        Applied to every value drawn (e.g. ``numpy.exp`` for log risk ratios), as
        metafor's ``transf``: the axis is then on the transformed scale.
    refline : float or None
        A vertical reference line (default 0, metafor's; give 1 for ratios after
        ``transf=np.exp``); None draws none.
    level : float, optional
        The studies' and the model's confidence level; default the model's.
    addpred : bool
        Draw the prediction interval (random-effects models); default False, as
        metafor's ``forest.rma``.
    annotate : bool
        Write the estimates and intervals on the right.
    digits : int
        Decimals of the annotations.
    slab : sequence of str, optional
        Study labels; default the model's ``slab``.
    mlab : str, optional
        The model's label; default metafor's ("RE Model", "FE Model", "EE Model").
    xlab : str
        The x axis label.
    ax : matplotlib.axes.Axes, optional
        Draw on these axes; default a new figure sized for k rows.

    Returns
    -------
    ForestPlot
        ``fig``, ``ax`` and the drawn values (see :class:`ForestPlot`).

    References
    ----------
    Viechtbauer W (2010). Conducting meta-analyses in R with the metafor package.
    Journal of Statistical Software 36(3):1-48 (``forest.rma``, metafor 3.8-1).

    Lewis S, Clarke M (2001). Forest plots: trying to see the wood and the trees. BMJ
    322(7300):1479-1480.
    """
    yi, vi, fit_labels = _studies(res, "forest")
    if isinstance(res, RMAResult) and not res.int_only:
        raise ValueError(
            "forest draws the pooled estimate of a model without moderators; for a "
            "meta-regression, plot the fitted values (res.predict()) instead"
        )
    k = len(yi)
    labels = fit_labels if slab is None else tuple(str(s) for s in slab)
    if len(labels) != k:
        raise ValueError(f"slab has {len(labels)} labels for the model's {k} studies")
    lvl = res.level if level is None else level
    alpha = alpha_from_level(lvl)
    from scipy.stats import norm

    z = float(norm.isf(alpha / 2.0))
    se = np.sqrt(vi)
    pi = None
    if isinstance(res, RMAResult):
        pred = res.predict(level=lvl)
        est, lo, hi = float(pred.pred), float(pred.ci_lb), float(pred.ci_ub)
        random = res.method not in _FIXED
        if addpred and random and pred.pi_lb is not None:
            pi = (float(pred.pi_lb), float(pred.pi_ub))
        w = np.asarray(res.weights, dtype=float)
    else:
        # an equal-effects fit: the Wald interval b +/- z se (metafor's predict), no
        # prediction interval
        est = float(res.beta)
        lo, hi = est - z * float(res.se), est + z * float(res.se)
        # metafor sizes the squares by weights(res), the Mantel-Haenszel or Peto weights
        # of the tables, which the fit does not keep; 1/v_i is Peto's V_i for tables
        # without a zero cell, but can be far from a table's Mantel-Haenszel weight
        w = 1.0 / vi

    def tf(a: Any) -> np.ndarray:
        return np.asarray(a, dtype=float) if transf is None else apply_transf(transf, a)

    y_t, lb_t, ub_t = tf(yi), tf(yi - z * se), tf(yi + z * se)
    # a decreasing transf swaps the bounds, as metafor's .psort puts them in order; a
    # NaN bound stays NaN (the finite one is kept, not copied over it)
    lb_t, ub_t = sort_bounds(lb_t, ub_t)
    est_t = float(tf([est])[0])
    lo_a, hi_a = sort_bounds(tf([lo]), tf([hi]))
    lo_t, hi_t = float(lo_a[0]), float(hi_a[0])
    pi_t = None
    if pi is not None:
        pa, pb = sort_bounds(tf([pi[0]]), tf([pi[1]]))
        pi_t = (float(pa[0]), float(pb[0]))

    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Polygon

    rows = np.arange(k, 0, -1, dtype=float)
    if ax is None:
        # constrained layout makes room for the labels on the left and the annotations
        fig, ax = plt.subplots(figsize=(8.0, 1.5 + 0.3 * (k + 3)), layout="constrained")
    else:
        fig = ax.figure
    segments = [[(a, r), (b, r)] for a, b, r in zip(lb_t, ub_t, rows, strict=True)]
    ci_lines = LineCollection(segments, colors="black", linewidths=1)
    ax.add_collection(ci_lines)
    # squares' areas proportional to the weights, the largest as metafor's largest
    size = 60.0 * w / np.max(w) if np.max(w) > 0 else np.full(k, 20.0)
    ax.scatter(y_t, rows, marker="s", s=np.maximum(size, 4.0), color="black", zorder=3)

    h = 0.4
    diamond = np.array([[lo_t, -1.0], [est_t, -1.0 + h], [hi_t, -1.0], [est_t, -1.0 - h]])
    pi_line = None
    if pi_t is not None:
        (pi_line,) = ax.plot([pi_t[0], pi_t[1]], [-1.0, -1.0], color="black", linestyle="--",
                             linewidth=1, zorder=2)  # fmt: skip
    diamond_patch = Polygon(diamond, closed=True, facecolor="black", edgecolor="black", zorder=3)
    ax.add_patch(diamond_patch)
    if refline is not None:
        ax.axvline(refline, color="black", linestyle=":", linewidth=1, zorder=1)

    def fmt(v: float) -> str:
        # R's formatC(format = "f"): NaN, Inf and -Inf by name
        if np.isnan(v):
            return "NaN"
        if np.isinf(v):
            return "Inf" if v > 0 else "-Inf"
        return f"{v:.{digits}f}"

    # metafor pads each column (estimate, lower, upper) to its widest entry over the
    # studies and the model, so that the brackets line up
    columns = [
        [fmt(float(v)) for v in (*col, extra)]
        for col, extra in ((y_t, est_t), (lb_t, lo_t), (ub_t, hi_t))
    ]
    widths = [max(len(t) for t in col) for col in columns]
    e_s, a_s, b_s = ([t.rjust(wd) for t in col] for col, wd in zip(columns, widths, strict=True))
    notes = [f"{e} [{a}, {b}]" for e, a, b in zip(e_s, a_s, b_s, strict=True)]
    if annotate:
        trans = ax.get_yaxis_transform()
        for text, r in zip(notes, [*rows, -1.0], strict=True):
            ax.text(1.02, r, text, transform=trans, ha="left", va="center", family="monospace")
    ax.set_yticks([*rows, -1.0])
    ax.set_yticklabels([*labels, _mlab(res.method) if mlab is None else mlab])
    xs = [*lb_t, *ub_t, lo_t, hi_t, *(pi_t or ())]
    finite = [v for v in xs if np.isfinite(v)]
    span = max(finite) - min(finite) or 1.0
    ax.set_xlim(min(finite) - 0.05 * span, max(finite) + 0.05 * span)
    ax.set_ylim(-2.0, k + 1.0)
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel(xlab)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return ForestPlot(
        fig=fig, ax=ax, slab=labels, rows=rows, yi=y_t, ci_lb=lb_t, ci_ub=ub_t,
        ci_lines=ci_lines, diamond=diamond, diamond_patch=diamond_patch, pi=pi_t,
        pi_line=pi_line, annotations=tuple(notes),
    )  # fmt: skip
