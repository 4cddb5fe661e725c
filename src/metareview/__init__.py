"""metareview: reproducible evidence reviews with metafor-equivalent statistics.

The public entry points follow R's metafor::

    from metareview import escalc, rma

    es = escalc("SMD", m1i=..., sd1i=..., n1i=..., m2i=..., sd2i=..., n2i=...)
    res = rma(es.yi, es.vi, method="REML", test="knha")
    print(res)  # as metafor prints a fit

``METHODS``, ``TESTS`` and ``MEASURES`` list the estimators, tests and effect measures,
``DEFAULT_CONTROL`` the solver options of ``rma(..., control=...)``, and
``control=METAFOR_DEFAULTS`` stops where metafor's default convergence criteria stop;
``regtest``, ``ranktest``, ``trimfill``, ``leave1out``, ``influence``, ``cumul``,
``residuals``, ``rstandard``, ``rstudent``, ``anova``, ``blup``, ``ranef``, ``robust``
(cluster-robust inference, :mod:`metareview.sandwich`) and ``permutest`` (permutation
tests, :mod:`metareview.permutation`) take a fit
(``ranktest`` also raw ``yi``/``vi``; ``anova`` also a second, nested fit), as
metafor's, and so do ``forest``, ``funnel`` and ``baujat``, which draw it with
matplotlib (:mod:`metareview.figures`); ``fsn`` takes ``yi``/``vi`` (``res.fsn()`` for
a fit). ``rma_mh`` and ``rma_peto`` pool 2x2 tables by the Mantel-Haenszel and Peto
methods (:mod:`metareview.mh`), as metafor's ``rma.mh`` and ``rma.peto``.
``nma_contrasts`` and ``rma_nma`` fit a contrast-based network meta-analysis
(:mod:`metareview.network`), as metafor's ``rma.mv`` with one shared tau^2.

Attributes are imported lazily so that light modules (reading and validating raw
tables, for instance) do not pay for numpy and scipy at import time; the workflow
parses its tables before every run, and start-up time is what a no-op rebuild costs.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "escalc": "metareview.effects",
    "EffectSizes": "metareview.effects",
    "MEASURES": "metareview.effects",
    "hedges_j": "metareview.effects",
    "vi_from_ci": "metareview.conversions",
    "rma": "metareview.pool",
    "RMAResult": "metareview.pool",
    "METHODS": "metareview.pool",
    "DEFAULT_CONTROL": "metareview.pool",
    "METAFOR_DEFAULTS": "metareview.pool",
    "TESTS": "metareview.pool",
    "subgroups": "metareview.pool",
    "SubgroupResult": "metareview.pool",
    "regtest": "metareview.bias",
    "ranktest": "metareview.bias",
    "trimfill": "metareview.bias",
    "fsn": "metareview.bias",
    "leave1out": "metareview.diagnostics",
    "influence": "metareview.diagnostics",
    "cumul": "metareview.diagnostics",
    "residuals": "metareview.diagnostics",
    "rstandard": "metareview.diagnostics",
    "rstudent": "metareview.diagnostics",
    "anova": "metareview.hypotheses",
    "blup": "metareview.blups",
    "ranef": "metareview.blups",
    "permutest": "metareview.permutation",
    "PermutestResult": "metareview.permutation",
    "rma_mh": "metareview.mh",
    "rma_peto": "metareview.mh",
    "MHResult": "metareview.mh",
    "PetoResult": "metareview.mh",
    "forest": "metareview.figures",
    "funnel": "metareview.figures",
    "baujat": "metareview.figures",
    "robust": "metareview.sandwich",
    "RobustResult": "metareview.sandwich",
    "nma_contrasts": "metareview.network",
    "rma_nma": "metareview.network",
    "NMAContrasts": "metareview.network",
    "NMAResult": "metareview.network",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'metareview' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    # the lazy names too, so that completion (``metareview.<TAB>``) and dir() list them
    return sorted({*globals(), *_LAZY})
