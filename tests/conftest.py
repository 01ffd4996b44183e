"""Test set-up: TensorFlow configured once (quiet, seeded, deterministic, float64 Keras),
and the book built once per session for every test that reads it (`book_build`).
Only fixtures and hooks live here; helpers are in tests/support/."""

import numpy as np
import pytest
from filelock import FileLock
from hypothesis import settings

from tests.support import ROOT
from tests.support.book import BookBuild, build_book
from utils import data, lab

lab.setup()
settings.register_profile("course", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("course")


@pytest.fixture
def rng():
    """A fresh seeded numpy Generator for each test."""
    return np.random.default_rng(1234)


@pytest.fixture(scope="module")
def scenes():
    """Lab 5's street scenes, 1000 of them (made once per test module)."""
    return data.street_scenes(m=1000)


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
