"""Numerical stability: round-off, and the naive formulas that overflow or lose digits.

Every naive formula here is the textbook one, written exactly as it reads; it returns
inf or nan (silently, without a warning) where the arithmetic overflows, so a lab can show
where it breaks. The stable forms are the ones the course uses everywhere, in
:mod:`utils.losses` (``reduce=False`` gives the loss of each entry, for a table):
``binary_crossentropy``, ``binary_crossentropy_from_logits``, ``logsumexp``,
``sparse_categorical_crossentropy_from_logits``, with their Keras twins. Taught in Lab 4.
"""

import numpy as np

from .validation import (
    as_choice,
    as_float_array,
    in_unit_interval,
    labels_for_rows,
    matching_arrays,
    positive_int,
)


def roundoff_two_ways(n=10000, dtype="float64"):
    """The number 2/n computed directly and as (1 + 1/n) - (1 - 1/n), in float32 or float64.

    Returns ``(direct, via_subtraction)`` as Python floats (exact copies of the results).
    """
    n = positive_int("n", n)
    dtype = as_choice("dtype", dtype, ("float32", "float64"))
    one, two, n = np.array(1, dtype), np.array(2, dtype), np.array(n, dtype)
    return float(two / n), float((one + one / n) - (one - one / n))


def _pair(y, out, out_name):
    """Targets in [0, 1] and outputs of the same shape, in their common float type."""
    y, out = matching_arrays("y", y, out_name, out)
    return in_unit_interval("y", y), out


def _naive_sigmoid(z):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-z))


def _naive_bce(y, p):
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def naive_sigmoid(z):
    """a = 1 / (1 + e^-z) exactly as written. Same shape and float type as ``z``.

    Rounds to exactly 1.0 once e^-z < half a unit of round-off (z > 36.7 in float64,
    z > 16.6 in float32); e^-z overflows to inf for z < -709.8 (float64), giving a = 0.
    """
    return _naive_sigmoid(as_float_array("z", z))


def naive_bce(y, p):
    """Per-example -[y log p + (1 - y) log(1 - p)] with no clipping. Same shape as ``y``, ``p``.

    inf where the true class has probability exactly 0, and nan (0 * log 0) where p is 0 or 1
    and the matching term's weight is 0.
    """
    y, p = _pair(y, p, "p")
    return _naive_bce(y, in_unit_interval("p", p))


def naive_sigmoid_bce(y, z):
    """Per-example binary cross-entropy from the logit z the naive way: p = naive_sigmoid(z),
    then :func:`naive_bce`. inf or nan once p rounds to 0 or 1. ``y``, ``z``: same shape."""
    y, z = _pair(y, z, "z")
    return _naive_bce(y, _naive_sigmoid(z))


def naive_bce_loss(y, p):
    """A hand-written Keras loss: mean of -[y log p + (1 - y) log(1 - p)] with ``keras.ops``,
    no clipping, no logits shortcut. Works on tensors, so ``model.compile(loss=naive_bce_loss)``
    works; ``y``, ``p``: tensors or arrays of the same shape. Returns a scalar tensor.
    """
    from keras import ops  # keeps TensorFlow out of `import utils`

    # arrays and lists as float arrays (lists would become float32 tensors), tensors as they are
    y, p = (
        x if ops.is_tensor(x) else as_float_array(name, x, finite=False)
        for name, x in (("y", y), ("p", p))
    )
    p = ops.convert_to_tensor(p)
    if not p.dtype.is_floating:
        raise TypeError(f"p must hold floating-point probabilities, got dtype {p.dtype.name}")
    if tuple(y.shape) != tuple(p.shape):
        raise ValueError(
            f"y and p must have the same shape, got {tuple(y.shape)} and {tuple(p.shape)}"
        )
    y = ops.cast(y, p.dtype)
    return ops.mean(-(y * ops.log(p) + (1 - y) * ops.log(1 - p)))


def naive_softmax(z):
    """a_j = e^{z_j} / sum_k e^{z_k} along the last axis, as written: nan once e^z overflows
    (z > 709.8 in float64, z > 88.7 in float32). ``z: (..., N)`` -> same shape."""
    return _naive_softmax(as_float_array("z", z, min_ndim=1))


def _naive_softmax(z):
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)


def naive_logsumexp(z):
    """log(sum_k e^{z_k}) along the last axis, as written: inf once e^z overflows.

    ``z: (..., N)`` -> ``(...)``.
    """
    z = as_float_array("z", z, min_ndim=1)
    with np.errstate(over="ignore"):
        return np.log(np.exp(z).sum(axis=-1))


def naive_softmax_crossentropy(y, z):
    """Per-example -log a_y with a = :func:`naive_softmax` (z): inf or nan for large logits.

    ``y: (m,)`` labels in 0..N-1, ``z: (m, N)`` logits -> ``(m,)``.
    """
    y, z = labels_for_rows("y", y, "z", z)
    with np.errstate(divide="ignore"):
        return -np.log(_naive_softmax(z)[np.arange(len(y)), y])


BCE_PATHS = ("from_logits", "sigmoid_layer", "probabilities", "hand_written")


def bce_along_path(y, z, path):
    """The cost J and dJ/dz that Keras computes for targets ``y`` and logits ``z`` along ``path``.

    - "from_logits": ``BinaryCrossentropy(from_logits=True)(y, z)``, a linear output layer;
    - "sigmoid_layer": ``BinaryCrossentropy()(y, keras.activations.sigmoid(z))``, a sigmoid
      output layer: its output carries the logits and Keras uses them (the logits shortcut);
    - "probabilities": ``BinaryCrossentropy()(y, tf.math.sigmoid(z))``, probabilities that
      reach the loss as plain numbers: clipped to [1e-7, 1 - 1e-7] (``utils.losses.EPSILON``);
    - "hand_written": :func:`naive_bce_loss` on the sigmoid layer's output.

    The loss computes in the float type of ``y`` and ``z`` (float64 if either is). Same shape
    ``(m,)`` or ``(m, k)``. Returns ``(J, dJ/dz)`` as a float and an array of ``z``'s shape,
    via ``tf.GradientTape``.
    """
    import keras  # keeps TensorFlow out of `import utils`
    import tensorflow as tf

    path = as_choice("path", path, BCE_PATHS)
    y, z = _pair(y, z, "z")
    y_t, z_t = tf.constant(y), tf.Variable(z)
    bce = keras.losses.BinaryCrossentropy(from_logits=path == "from_logits", dtype=z.dtype.name)
    with tf.GradientTape() as tape:
        if path == "from_logits":
            J = bce(y_t, z_t)
        elif path == "sigmoid_layer":
            J = bce(y_t, keras.activations.sigmoid(z_t))
        elif path == "probabilities":
            J = bce(y_t, tf.math.sigmoid(z_t))
        else:
            J = naive_bce_loss(y_t, keras.activations.sigmoid(z_t))
    return float(J), tape.gradient(J, z_t).numpy()
