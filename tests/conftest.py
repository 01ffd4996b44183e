"""Test set-up: TensorFlow configured once (quiet, seeded, deterministic, float64 Keras)."""

import numpy as np
import pytest
from hypothesis import settings

from utils import lab
from utils.agreement import max_abs_difference

lab.setup()
settings.register_profile("course", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("course")

TOL64 = 1e-12  # float64 by hand vs float64 Keras: round-off only


@pytest.fixture
def rng():
    """A fresh seeded numpy Generator for each test."""
    return np.random.default_rng(1234)


def max_diff(a, b):
    """max |a - b| over arrays or lists of arrays of equal shapes (dtype kept as given)."""
    return max_abs_difference(a, b)
