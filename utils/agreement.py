"""Side-by-side checks: how far apart are the by-hand and the Keras numbers?

Every lab's agreement cell prints a yes/no against a stated tolerance, never the raw
difference, whose last digits depend on the CPU and the thread count.
"""

import numpy as np

from .validation import positive_float


def max_abs_difference(a, b):
    """max |a - b| over two arrays, or two equally long lists of arrays, of equal shapes."""
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        if not isinstance(a, (list, tuple)) or not isinstance(b, (list, tuple)) or len(a) != len(b):
            raise ValueError("a and b must both be arrays, or lists of arrays of the same length")
        return max(max_abs_difference(x, y) for x, y in zip(a, b, strict=True))
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def report_agreement(what, a, b, tol):
    """Print ``<what> (max |difference| <= tol): True/False`` for ``a`` against ``b``."""
    tol = positive_float("tol", tol)
    print(f"{what} (max |difference| <= {tol:g}):", max_abs_difference(a, b) <= tol)
