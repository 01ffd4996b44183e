"""Side-by-side checks: how far apart are the by-hand and the Keras numbers?

Every lab's agreement cell prints a yes/no against a stated tolerance, never the raw
difference, whose last digits depend on the CPU and the thread count.
"""

import numpy as np

from .validation import as_float_array, as_number


def _arrays(name, x):
    """Float64 arrays from an array-like, or from a list of arrays of different shapes (then
    one per entry, recursively). NaN and inf are kept."""
    if isinstance(x, (list, tuple)) and x:
        try:
            return [np.asarray(x, dtype=np.float64)]
        except (TypeError, ValueError):
            return [arr for i, v in enumerate(x) for arr in _arrays(f"{name}[{i}]", v)]
    return [as_float_array(name, x, finite=False).astype(np.float64)]


def _max_abs_difference(a, b):
    """max |a - b| over two equally long lists of arrays of equal shapes (validated)."""
    return float(np.max([np.max(np.abs(x - y)) for x, y in zip(a, b, strict=True)]))


def max_abs_difference(a, b):
    """max |a - b| over two arrays, or two equally long lists of arrays, of equal shapes.

    NaN where either side has a NaN, or both an inf at the same place: such numbers never agree.
    """
    a, b = _arrays("a", a), _arrays("b", b)
    if len(a) != len(b):
        raise ValueError(
            "a and b must both be arrays, or lists of arrays of the same length, "
            f"got {len(a)} and {len(b)} arrays"
        )
    for x, y in zip(a, b, strict=True):
        if x.shape != y.shape:
            raise ValueError(
                f"a and b must have the same shape (entry by entry), got {x.shape} and {y.shape}"
            )
    return _max_abs_difference(a, b)


def report_agreement(what, a, b, tol):
    """Print ``<what> (max |difference| <= tol): True/False`` for ``a`` against ``b``."""
    if not isinstance(what, str):
        raise TypeError(f"what must be a string (the label printed), got {type(what).__name__}")
    tol = as_number("tol", tol, above=0)
    print(f"{what} (max |difference| <= {tol:g}):", max_abs_difference(a, b) <= tol)
