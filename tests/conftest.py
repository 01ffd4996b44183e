"""Test set-up: TensorFlow configured once (quiet, seeded, deterministic, float64 Keras),
and the book built once per session for every test that reads it (`book_build`)."""

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from filelock import FileLock
from hypothesis import settings

from utils import lab
from utils.agreement import max_abs_difference

lab.setup()
settings.register_profile("course", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("course")

ROOT = Path(__file__).resolve().parents[1]
TOL64 = 1e-12  # float64 by hand vs float64 Keras: round-off only


@pytest.fixture
def rng():
    """A fresh seeded numpy Generator for each test."""
    return np.random.default_rng(1234)


def max_diff(a, b):
    """max |a - b| over arrays or lists of arrays of equal shapes (dtype kept as given)."""
    return max_abs_difference(a, b)


# ----------------------------------------------------------------------------- the book


@dataclass(frozen=True)
class BookBuild:
    """A finished build: `html` is its `_build/html`, `log` what jupyter-book printed."""

    html: Path
    log: str


def jupyter_book_command() -> list[str]:
    """The jupyter-book of the environment that runs the tests (the venv's)."""
    bindir = Path(sys.executable).parent
    for name in ("jupyter-book", "jupyter-book.exe"):
        if (bindir / name).exists():
            return [str(bindir / name)]
    main = "import sys; from jupyter_book.cli.main import main; sys.exit(main())"
    return [sys.executable, "-c", main]


def build_book(source: Path, out: Path, *flags: str) -> BookBuild:
    """`jupyter-book build source --all --keep-going *flags` into `out` (a failure fails)."""
    command = [*jupyter_book_command(), "build", str(source), "--all", "--keep-going", *flags]
    command += ["--path-output", str(out)]
    result = subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", errors="replace"
    )
    log = f"$ {' '.join(command)}\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    assert result.returncode == 0, f"the book build failed (exit {result.returncode}):\n{log}"
    return BookBuild(out / "_build" / "html", result.stdout + result.stderr)


@pytest.fixture(scope="session")
def book_build(tmp_path_factory, worker_id) -> BookBuild:
    """The whole book, built once per test session with `make book`'s flags (-W -n).

    Every pytest-xdist worker of the session shares it: the first to get here builds, under a
    file lock, into a folder all workers see; the others wait for it and read the result.
    """
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":  # each worker has its own base folder under the session's
        shared = shared.parent
    out, done = shared / "book", shared / "book.log"
    with FileLock(str(shared / "book.lock")):
        if not done.exists():
            build = build_book(ROOT, out, "-W", "-n")
            done.write_text(build.log, encoding="utf-8")
    return BookBuild(out / "_build" / "html", done.read_text(encoding="utf-8"))
