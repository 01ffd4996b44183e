"""The exercises as a student sees them in JupyterLab (`make lab`, Binder): jupyterlab-myst renders
the {exercise} directive (no raw `:label:` left), the written solution is a collapsed dropdown,
and the solution cell's code and output are collapsed, so no "all checks passed" is visible.

A JupyterLab server on 127.0.0.1 (its own config and runtime folders) and Playwright with the
system Chromium, as in tests/book/test_site.py. Takes about 25 s, so it runs in `make matrix`.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.browser import new_page

LAB = ROOT / "labs" / "03_softmax.ipynb"
TOKEN = "course-test"


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server serving a copy of Lab 3; yields its URL."""
    shutil.copy(LAB, tmp_path / LAB.name)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / ".config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / ".runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / ".settings"),
    }
    # Render every cell, not only those in view (JupyterLab 4 windows long notebooks).
    tracker = tmp_path / ".settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    command = [
        str(Path(sys.executable).parent / "jupyter"),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={tmp_path}",
        "--LabApp.news_url=",
        "--ServerApp.allow_root=True",
    ]
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.mark.matrix
def test_exercises_render_and_solutions_are_collapsed_in_jupyterlab(jupyterlab):
    with new_page() as page:
        page.set_default_timeout(90_000)
        page.goto(f"{jupyterlab}/lab/tree/{LAB.name}?token={TOKEN}")
        page.wait_for_selector(".jp-Notebook .jp-Cell")
        page.get_by_text("Solution to Exercise").first.wait_for()
        page.get_by_text("Solution to Exercise").first.scroll_into_view_if_needed()
        text = page.locator(".jp-Notebook").inner_text()
        page.screenshot(path=str(ROOT / "_build" / "jupyterlab-exercise.png"))
    assert ":label:" not in text and "```{exercise}" not in text and ":class:" not in text
    assert "Solution to Exercise" in text
    assert "Subtract the largest logit" not in text  # the dropdown is closed
    assert "ez = np.exp(z - np.max(z))" not in text  # the solution's code is collapsed
    assert "checks passed" not in text  # and so is its output
    assert "✗ check 1/6 (three logits)" in text  # the stub's "not yet" line is shown
