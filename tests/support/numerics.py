"""Numerical tolerances and comparisons shared by the tests."""

from utils.agreement import max_abs_difference

TOL64 = 1e-12  # float64 by hand vs float64 Keras: round-off only


def max_diff(a, b):
    """max |a - b| over arrays or lists of arrays of equal shapes (dtype kept as given)."""
    return max_abs_difference(a, b)
