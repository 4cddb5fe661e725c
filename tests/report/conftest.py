"""Fixtures shared by the report's tests."""

from __future__ import annotations

import os
import shutil

import pytest


@pytest.fixture(scope="session")
def chromium() -> str:
    """A Chromium-based browser to print the HTML with, as a reader's browser would.

    Without one the printing tests skip, unless METAREVIEW_REQUIRE_CHROMIUM=1: CI installs
    Chromium and sets it, so that a browser missing there fails instead of skipping.
    """
    browser = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    if browser is None:
        message = "no Chromium to print the HTML with (Debian: apt-get install chromium)"
        if os.environ.get("METAREVIEW_REQUIRE_CHROMIUM") == "1":
            pytest.fail(message + ", and METAREVIEW_REQUIRE_CHROMIUM=1")
        pytest.skip(message)
    return browser
