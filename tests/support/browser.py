"""The system Chromium that the browser tests drive with Playwright (nothing is downloaded):
its path (``CHROMIUM``, None when there is none), how to install it and how to launch it
(:func:`new_page`)."""

import contextlib
import os
import shutil
from pathlib import Path

import pytest

INSTALL_HINT = (
    "Chromium is needed for the browser test of the book: install it with "
    "`sudo apt-get install -y --no-install-recommends chromium` (Debian/Ubuntu; `.ci/run` "
    "does this), or set CHROMIUM=/path/to/chromium"
)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"] if Path(os.environ["CHROMIUM"]).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = chromium_path()


@contextlib.contextmanager
def new_page(width=1280, height=900):
    """A page of a fresh headless Chromium (``width`` x ``height`` CSS px), closed afterwards;
    the test is skipped where there is no Chromium or no Playwright."""
    if CHROMIUM is None:
        pytest.skip(INSTALL_HINT)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()
