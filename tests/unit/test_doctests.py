"""The library's docstring examples run as written.

A docstring's ``Examples`` section is documentation a reader copies; an example whose
printed answer has drifted from the code misleads as surely as a wrong sentence, so every
module's examples are run here with :mod:`doctest`, those of a package's modules (the
report's) included.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import metareview

# walk_packages, not iter_modules: the report is a package, and doctest.testmod of a
# package finds none of its modules' examples (its names come from them).
MODULES = sorted(
    info.name for info in pkgutil.walk_packages(metareview.__path__, prefix="metareview.")
)


def test_modules_found() -> None:
    # an empty list would pass every parametrised case below without running one
    assert "metareview.markdown" in MODULES and len(MODULES) > 10
    assert "metareview.report.changes" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
