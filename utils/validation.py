"""Input checks shared by every module: bad input raises a ValueError naming the argument."""

import numpy as np


def as_float_array(name, x, ndim=None, min_ndim=0):
    """Return ``x`` as a finite, non-empty float array, or raise ValueError naming ``name``.

    Float32 input stays float32; anything else becomes float64.
    ``ndim`` is an int or a tuple of allowed ranks; ``min_ndim`` a lower bound on the rank.
    """
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be array-like numbers, got {type(x).__name__}") from err
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if arr.dtype.kind != "f" or arr.dtype.itemsize < 4:
        arr = arr.astype(np.float64)
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and arr.ndim not in allowed:
        raise ValueError(f"{name} must have {_ranks(allowed)}, got shape {arr.shape}")
    if arr.ndim < min_ndim:
        raise ValueError(
            f"{name} must have at least {min_ndim} dimension(s), got shape {arr.shape}"
        )
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def as_labels(name, y, n_classes):
    """Return integer class labels ``y: (m,)`` (``(m, 1)`` is squeezed) in ``0..n_classes-1``."""
    arr = as_float_array(name, y, ndim=(1, 2))
    if arr.ndim == 2:
        if arr.shape[1] != 1:
            raise ValueError(f"{name} must have shape (m,) or (m, 1), got {arr.shape}")
        arr = arr[:, 0]
    if np.any(arr != np.round(arr)):
        raise ValueError(f"{name} must hold whole-number class labels")
    if arr.min() < 0 or arr.max() > n_classes - 1:
        raise ValueError(
            f"{name} must hold labels in 0..{n_classes - 1}, got {arr.min():g}..{arr.max():g}"
        )
    return arr.astype(np.int64)


def in_unit_interval(name, x):
    """Raise ValueError unless every entry of the array ``x`` lies in [0, 1]; return ``x``."""
    if np.any(x < 0) or np.any(x > 1):
        raise ValueError(f"{name} must lie in [0, 1]")
    return x


def same_shape(name_a, a, name_b, b):
    """Raise ValueError unless arrays ``a`` and ``b`` have the same shape."""
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}"
        )


def positive_int(name, n):
    """Return ``n`` if it is an int >= 1, else raise ValueError naming ``name``."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{name} must be a positive integer, got {n!r}")
    return int(n)


def positive_float(name, x):
    """Return ``x`` as a float if it is finite and > 0, else raise ValueError naming ``name``."""
    if isinstance(x, bool) or not isinstance(x, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a number, got {type(x).__name__}")
    if not np.isfinite(x) or x <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {x!r}")
    return float(x)


def _ranks(allowed):
    return " or ".join(f"{n} dimension(s)" for n in allowed)
