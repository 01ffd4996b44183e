"""The whole repository (code, tests and notebooks) passes `ruff check`."""

import subprocess
import sys

from tests.support import ROOT


def test_ruff_check_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"ruff check . found problems:\n{result.stdout}{result.stderr}"
