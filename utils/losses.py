"""Loss L(f(x), y) and cost J = mean of L, by hand and in Keras.

All costs use Keras's default reduction, "sum_over_batch_size": the mean over every
entry (for a ``(m, k)`` output, over all m*k entries). ``reduce=False`` returns the loss L
of every entry instead (every example for sparse categorical cross-entropy), for tables.
Each loss also has its gradient with respect to the output layer's pre-activation z, the
start of back propagation.
Taught in Lab 1 (binary cross-entropy, mean squared error), Lab 3 (sparse categorical
cross-entropy) and Lab 4 (the ``from_logits`` forms).
"""

import numpy as np

from .activations import DERIVATIVES, FUNCTIONS, check_name, sigmoid, softmax
from .validation import as_float_array, as_labels, in_unit_interval, same_shape

EPSILON = 1e-7  # keras.config.epsilon(): probabilities are clipped to [EPSILON, 1 - EPSILON]


def _targets_and_outputs(y, out, out_name):
    """Validate binary/regression targets ``y`` against outputs of the same shape."""
    y = as_float_array("y", y, min_ndim=1)
    out = as_float_array(out_name, out, min_ndim=1)
    same_shape("y", y, out_name, out)
    return y, out


def _cost(losses, reduce):
    """J = the mean of the per-entry ``losses``, or the losses themselves if not ``reduce``."""
    return float(np.mean(losses)) if reduce else losses


def binary_crossentropy(y, p, reduce=True):
    """Mean of -[y log p + (1 - y) log(1 - p)] with p clipped as Keras does.

    ``y``: targets in [0, 1]; ``p``: probabilities in [0, 1]; both of shape ``(m,)`` or ``(m, k)``.
    Clipped to [EPSILON, 1 - EPSILON], no entry's loss exceeds -log(EPSILON) = 16.12.
    """
    y, p = _targets_and_outputs(y, p, "p")
    in_unit_interval("y", y)
    p = np.clip(in_unit_interval("p", p), EPSILON, 1 - EPSILON)
    return _cost(-(y * np.log(p) + (1 - y) * np.log(1 - p)), reduce)


def binary_crossentropy_from_logits(y, z, reduce=True):
    """The same cost from logits z (p = sigmoid(z)), stable for any finite z.

    Uses L = max(z, 0) - z y + log(1 + e^-|z|). ``y``, ``z``: shape ``(m,)`` or ``(m, k)``.
    """
    y, z = _targets_and_outputs(y, z, "z")
    in_unit_interval("y", y)
    return _cost(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))), reduce)


def binary_crossentropy_grad_z(y, z):
    """dJ/dz = (sigmoid(z) - y) / (number of entries). Shapes as in the from-logits cost."""
    y, z = _targets_and_outputs(y, z, "z")
    return (sigmoid(z) - in_unit_interval("y", y)) / y.size


def sparse_categorical_crossentropy(y, p):
    """Mean of -log p_y, with p clipped to [EPSILON, 1 - EPSILON] and renormalised (as Keras).

    ``y: (m,)`` or ``(m, 1)`` integer labels in 0..N-1; ``p: (m, N)`` probabilities.
    """
    p = in_unit_interval("p", as_float_array("p", p, ndim=2))
    y = _labels_for(y, p)
    p = np.clip(p, EPSILON, 1 - EPSILON)
    p = p / p.sum(axis=1, keepdims=True)
    return float(np.mean(-np.log(p[np.arange(len(y)), y])))


def logsumexp(z):
    """log(sum_k e^{z_k}) = c + log(sum_k e^{z_k - c}) with c = max_k z_k: never overflows.

    Along the last axis: ``z: (..., N)`` -> ``(...)``.
    """
    z = as_float_array("z", z, min_ndim=1)
    c = z.max(axis=-1, keepdims=True)
    return (c + np.log(np.exp(z - c).sum(axis=-1, keepdims=True)))[..., 0]


def logsumexp_keras(z):
    """Keras twin of :func:`logsumexp`: ``keras.ops.logsumexp(z, axis=-1)``."""
    import keras

    z = as_float_array("z", z, min_ndim=1)
    tensor = keras.ops.convert_to_tensor(z, dtype=z.dtype)
    return keras.ops.convert_to_numpy(keras.ops.logsumexp(tensor, axis=-1))


def log_softmax(z):
    """log softmax(z) = z - logsumexp(z) along the last axis, stable: ``(m, N)`` -> ``(m, N)``."""
    z = as_float_array("z", z, ndim=2)
    return z - logsumexp(z)[:, None]


def sparse_categorical_crossentropy_from_logits(y, z, reduce=True):
    """Mean of -log_softmax(z)_y = logsumexp(z) - z_y, stable for any finite logits.

    ``y: (m,)``, ``z: (m, N)``; with ``reduce=False`` the loss of each example, ``(m,)``.
    """
    z = as_float_array("z", z, ndim=2)
    y = _labels_for(y, z)
    return _cost(-log_softmax(z)[np.arange(len(y)), y], reduce)


def sparse_categorical_crossentropy_grad_z(y, z):
    """dJ/dz = (softmax(z) - onehot(y)) / m. ``y: (m,)``, ``z: (m, N)`` -> ``(m, N)``."""
    z = as_float_array("z", z, ndim=2)
    y = _labels_for(y, z)
    return (softmax(z) - one_hot(y, z.shape[1])) / len(y)


def mean_squared_error(y, y_hat):
    """Mean of (y_hat - y)^2. ``y``, ``y_hat``: shape ``(m,)`` or ``(m, k)``."""
    y, y_hat = _targets_and_outputs(y, y_hat, "y_hat")
    return float(np.mean((y_hat - y) ** 2))


def mean_squared_error_grad_z(y, z, activation="linear"):
    """dJ/dz for y_hat = g(z): 2 (g(z) - y) g'(z) / (number of entries). Shape of ``z``."""
    y, z = _targets_and_outputs(y, z, "z")
    name = check_name(activation, tuple(DERIVATIVES))
    return 2 * (FUNCTIONS[name](z) - y) * DERIVATIVES[name](z) / y.size


def one_hot(y, n_classes):
    """Labels ``y: (m,)`` in 0..n_classes-1 -> one-hot rows ``(m, n_classes)``."""
    y = as_labels("y", y, n_classes)
    return np.eye(n_classes)[y]


def _labels_for(y, out):
    y = as_labels("y", y, out.shape[1])
    if len(y) != len(out):
        raise ValueError(
            f"y must have one label per row of the output, got {len(y)} and {len(out)}"
        )
    return y


BY_HAND = {
    "binary_crossentropy": (binary_crossentropy, binary_crossentropy_from_logits),
    "sparse_categorical_crossentropy": (
        sparse_categorical_crossentropy,
        sparse_categorical_crossentropy_from_logits,
    ),
    "mean_squared_error": (mean_squared_error, None),
}
KERAS_CLASSES = {
    "binary_crossentropy": "BinaryCrossentropy",
    "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
    "mean_squared_error": "MeanSquaredError",
}


def check_loss(name, from_logits=False):
    """Raise ValueError unless ``name`` is a known loss that supports ``from_logits``."""
    if name not in BY_HAND:
        raise ValueError(f"loss must be one of {tuple(BY_HAND)}, got {name!r}")
    if from_logits and BY_HAND[name][1] is None:
        raise ValueError(f"loss {name!r} has no from_logits form")
    return name


def loss_keras(name, from_logits=False, reduction="sum_over_batch_size"):
    """The Keras twin of a by-hand loss: e.g. ``keras.losses.BinaryCrossentropy(from_logits)``."""
    import keras

    cls = getattr(keras.losses, KERAS_CLASSES[check_loss(name, from_logits)])
    if name == "mean_squared_error":
        return cls(reduction=reduction)
    return cls(from_logits=from_logits, reduction=reduction)


def cost_keras(name, y, out, from_logits=False, reduce=True):
    """Keras's value of the loss ``name`` on plain arrays ``y`` and ``out`` (no logits shortcut).

    ``reduce=False``: the loss of every entry (``reduction=None``; for binary cross-entropy and
    mean squared error each entry is its own one-element "sample"), shaped as the by-hand one.
    """
    import keras

    out = as_float_array("out", out, min_ndim=1)
    y = as_float_array("y", y, min_ndim=1)
    loss = loss_keras(name, from_logits, reduction="sum_over_batch_size" if reduce else None)
    if not reduce and name != "sparse_categorical_crossentropy":
        y, out = y[..., None], out[..., None]
    value = loss(keras.ops.convert_to_tensor(y, dtype=out.dtype),
                 keras.ops.convert_to_tensor(out, dtype=out.dtype))
    return float(value) if reduce else keras.ops.convert_to_numpy(value)


def output_cost_and_grad(name, y, z, activation, from_logits=False):
    """Cost J and dJ/dz for an output layer a = g(z), as Keras computes them inside a model.

    Keras computes cross-entropy from the logits z whenever the output layer is the matching
    sigmoid/softmax (its "logits shortcut") or ``from_logits=True`` with a linear output;
    those are the supported pairings. Mean squared error works with any elementwise g.
    ``y``: targets; ``z: (m, k)`` pre-activations of the output layer.
    """
    check_loss(name, from_logits)
    if name == "mean_squared_error":
        y_hat = FUNCTIONS[check_name(activation, tuple(DERIVATIVES))](z)
        return mean_squared_error(y, y_hat), mean_squared_error_grad_z(y, z, activation)
    natural = "sigmoid" if name == "binary_crossentropy" else "softmax"
    expected = "linear" if from_logits else natural
    if activation != expected:
        raise ValueError(
            f"loss {name!r} with from_logits={from_logits} needs a {expected!r} output layer, "
            f"got {activation!r}"
        )
    if name == "binary_crossentropy":
        return binary_crossentropy_from_logits(y, z), binary_crossentropy_grad_z(y, z)
    return (
        sparse_categorical_crossentropy_from_logits(y, z),
        sparse_categorical_crossentropy_grad_z(y, z),
    )
