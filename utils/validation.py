"""Input checks shared by every module: bad input raises a ValueError or TypeError naming it.

Public functions validate their arguments with these, once, at the edge; the private kernels
they then call (``_f``) trust their inputs. A number is a Python or numpy scalar (or a 0-d
array), never a bool, and finite: ``0.5``, ``np.float32(0.5)`` and ``np.int64(3)`` are all
numbers. TypeError means the kind of thing is wrong (a string where a number belongs),
ValueError that the value is (out of range, wrong shape, NaN).
"""

import numbers

import numpy as np

FLOAT_DTYPES = ("float32", "float64")


def as_float_array(name, x, ndim=None, min_ndim=0, finite=True):
    """Return ``x`` as a non-empty float array (finite unless ``finite=False``).

    Float32 input stays float32; any other real dtype (bool, int, float16) becomes float64.
    ``ndim`` is an int or a tuple of allowed ranks; ``min_ndim`` a lower bound on the rank.
    """
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be array-like numbers, got {type(x).__name__}") from err
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if arr.dtype != np.float32 and arr.dtype != np.float64:
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
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def as_array_list(name, arrays, finite=True):
    """A non-empty list or tuple of arrays -> a list of float arrays named ``name[i]``."""
    if not isinstance(arrays, (list, tuple)) or not arrays:
        raise TypeError(f"{name} must be a non-empty list of arrays, got {_kind(arrays)}")
    return [as_float_array(f"{name}[{i}]", a, finite=finite) for i, a in enumerate(arrays)]


def as_instances(name, items, cls, what):
    """A non-empty list or tuple whose items are all ``cls`` instances -> a list; ``what``
    says how one is written (e.g. ``"Layer(units, activation)"``)."""
    if not isinstance(items, (list, tuple)) or not items:
        raise TypeError(f"{name} must be a non-empty list of {what}, got {_show(items)}")
    for i, item in enumerate(items):
        if not isinstance(item, cls):
            raise TypeError(
                f"{name} must be a non-empty list of {what}, {name}[{i}] is {_kind(item)}"
            )
    return list(items)


def common_float(*arrays):
    """Cast float arrays (already checked) to their common type: float64 if any is float64."""
    for i, a in enumerate(arrays):
        if not isinstance(a, np.ndarray) or a.dtype.kind != "f":
            raise TypeError(f"arrays[{i}] must be a float numpy array, got {_kind(a)}")
    dtype = np.result_type(*arrays)
    return tuple(a.astype(dtype, copy=False) for a in arrays)


def matching_arrays(name_a, a, name_b, b, min_ndim=1):
    """Two finite float arrays of the same shape (e.g. targets ``y`` and outputs ``p``),
    cast to their common float type."""
    a = as_float_array(name_a, a, min_ndim=min_ndim)
    b = as_float_array(name_b, b, min_ndim=min_ndim)
    same_shape(name_a, a, name_b, b)
    return common_float(a, b)


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


def labels_for_rows(name, y, out_name, out):
    """Class labels ``y: (m,)`` for the rows of a finite ``out: (m, N)``: one label in
    0..N-1 per row. Returns ``(y, out)``."""
    out = as_float_array(out_name, out, ndim=2)
    y = as_labels(name, y, out.shape[1])
    if len(y) != len(out):
        raise ValueError(
            f"{name} must hold one label per row of {out_name} ({len(out)}), got {len(y)}"
        )
    return y, out


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


def as_number(name, x, *, above=None, at_least=None, below=None, at_most=None):
    """``x`` as a Python float, if it is one finite real number within the given bounds.

    Python and numpy numbers (and 0-d arrays) are accepted, bools are not. TypeError when
    ``x`` is not a number, ValueError when it is NaN, infinite or out of bounds.
    """
    value = _scalar(name, x, numbers.Real, "a number")
    bounds = [
        (above, lambda v, b: v > b, "> {}"),
        (at_least, lambda v, b: v >= b, ">= {}"),
        (below, lambda v, b: v < b, "< {}"),
        (at_most, lambda v, b: v <= b, "<= {}"),
    ]
    wanted = [text.format(bound) for bound, _, text in bounds if bound is not None]
    ok = np.isfinite(value) and all(
        test(value, bound) for bound, test, _ in bounds if bound is not None
    )
    if not ok:
        wanted = " " + " and ".join(wanted) if wanted else ""
        raise ValueError(f"{name} must be a finite number{wanted}, got {_show(x)}")
    return float(value)


def as_int(name, n, *, at_least=None, at_most=None):
    """``n`` as a Python int, if it is one integer (Python or numpy, not a bool) in bounds."""
    value = int(_scalar(name, n, numbers.Integral, "an integer"))
    if (at_least is not None and value < at_least) or (at_most is not None and value > at_most):
        wanted = " and ".join(
            text.format(bound)
            for bound, text in ((at_least, ">= {}"), (at_most, "<= {}"))
            if bound is not None
        )
        raise ValueError(f"{name} must be an integer {wanted}, got {_show(n)}")
    return value


def positive_int(name, n):
    """``n`` as a Python int if it is an integer >= 1, else TypeError/ValueError naming it."""
    return as_int(name, n, at_least=1)


def as_seed(name, seed):
    """A random seed: None or an integer >= 0 (as numpy's ``default_rng`` takes)."""
    return None if seed is None else as_int(name, seed, at_least=0)


def as_generator(name, rng):
    """``rng`` if it is a numpy ``Generator`` (``np.random.default_rng(seed)``)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy Generator (np.random.default_rng(seed)), got {_kind(rng)}"
        )
    return rng


def as_float_dtype(name, dtype):
    """``dtype`` as a numpy dtype, if it is float32 or float64 (integers would truncate)."""
    try:
        if dtype is None:
            raise TypeError("None")
        dt = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"{name} must be float32 or float64, got {_show(dtype)}") from err
    if dt.name not in FLOAT_DTYPES:
        raise ValueError(f"{name} must be float32 or float64, got {dt.name}")
    return dt


def as_bool(name, flag):
    """``flag`` as a Python bool, if it is True or False (numpy bools too)."""
    if not isinstance(flag, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_show(flag)}")
    return bool(flag)


def as_choice(name, value, choices):
    """``value`` if it is one of the strings ``choices``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {tuple(choices)}, got {_kind(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {_show(value)}")
    return value


def as_callable(name, f, what):
    """``f`` if it can be called; ``what`` says what kind of function is expected."""
    if not callable(f):
        raise TypeError(f"{name} must be {what}, got {_kind(f)}")
    return f


def _scalar(name, x, kind, what):
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x[()]
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, kind):
        raise TypeError(f"{name} must be {what}, got {_kind(x)} {_show(x)}")
    return x


def _kind(x):
    return type(x).__name__


def _show(x):
    """A short repr for messages: at most 60 characters."""
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


def _ranks(allowed):
    return " or ".join(f"{n} dimension(s)" for n in allowed)
