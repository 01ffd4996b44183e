"""Loss L(f(x), y) and cost J = mean of L, by hand and in Keras: every cross-entropy lives here.

All costs use Keras's default reduction, "sum_over_batch_size": the mean over every
entry (for a ``(m, k)`` output, over all m*k entries). ``reduce=False`` returns the loss L
of every entry instead (every example for the categorical cross-entropies), for tables.
Each loss a model trains with also has its gradient with respect to the output layer's
pre-activation z, the start of back propagation. Targets take the outputs' float type, as
Keras casts them (integer, bool and float targets alike). Taught in Lab 1 (binary
cross-entropy, mean squared error), Lab 3 (sparse and one-hot categorical cross-entropy) and
Lab 4 (the ``from_logits`` forms).
"""

from functools import partial
from typing import NamedTuple

import numpy as np

from .activations import ELEMENTWISE, KERNELS, NAMES
from .validation import (
    as_bool,
    as_choice,
    as_float_array,
    as_float_dtype,
    as_labels,
    in_unit_interval,
    labels_for_rows,
    positive_int,
    same_shape,
)

EPSILON = 1e-7  # keras.config.epsilon(): probabilities are clipped to [EPSILON, 1 - EPSILON]
# Keras's reductions of the per-entry losses (None: none, the loss of every entry)
REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none")
_sigmoid, _softmax = KERNELS["sigmoid"].g, KERNELS["softmax"].g


# Kernels: per-entry losses and gradients on validated arrays (y and the outputs checked).


def _bce(y, p):
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def _bce_from_logits(y, z):
    return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))


def _bce_grad_z(y, z, activation=None):
    return (_sigmoid(z) - y) / y.size


def _logsumexp(z):
    c = z.max(axis=-1, keepdims=True)
    return (c + np.log(np.exp(z - c).sum(axis=-1, keepdims=True)))[..., 0]


def _log_softmax(z):
    return z - _logsumexp(z)[..., None]


def _scce(y, p):
    p = np.clip(p, EPSILON, 1 - EPSILON)
    p = p / p.sum(axis=1, keepdims=True)
    return -np.log(p[np.arange(len(y)), y])


def _scce_from_logits(y, z):
    return -_log_softmax(z)[np.arange(len(y)), y]


def _scce_grad_z(y, z, activation=None):
    return (_softmax(z) - np.eye(z.shape[1], dtype=z.dtype)[y]) / len(y)


def _cce(Y, p):
    p = np.clip(p / p.sum(axis=1, keepdims=True), EPSILON, 1 - EPSILON)
    return -np.sum(Y * np.log(p), axis=1)


def _mse(y, y_hat):
    return (y_hat - y) ** 2


def _mse_grad_z(y, z, activation):
    g = KERNELS[activation]
    return 2 * (g.g(z) - y) * g.derivative(z) / y.size


def _mse_output(y, z, activation):
    return _mse(y, KERNELS[activation].g(z))


def _logits_output(kernel):
    """The per-entry loss of an output layer from its logits z, whatever its activation (a
    sigmoid/softmax output trains from z, as Keras's logits shortcut does)."""
    return lambda y, z, activation: kernel(y, z)


# The dtype rule, in one place: targets take the outputs' float type, whatever type they come
# in (int, bool, float32 or float64), as Keras casts y_true to y_pred's dtype. Integer targets
# made float64 would otherwise pull float32 outputs into float64 (other clipping, other J).


def _as_outputs_type(y, dtype):
    """Float targets ``y`` cast to the outputs' float ``dtype`` (None: kept)."""
    return y if dtype is None else y.astype(dtype, copy=False)


def _matching_targets(y_name, y, out_name, out, min_ndim=1):
    """Targets and outputs of one shape, the targets in the outputs' float type."""
    y = as_float_array(y_name, y, min_ndim=min_ndim)
    out = as_float_array(out_name, out, min_ndim=min_ndim)
    same_shape(y_name, y, out_name, out)
    return _as_outputs_type(y, out.dtype), out


# Checks of (targets, outputs) per kind of target; outputs from probabilities must lie in [0, 1].


def _binary_pair(y, out, out_name, probabilities):
    y, out = _matching_targets("y", y, out_name, out)
    in_unit_interval("y", y)
    if probabilities:
        in_unit_interval(out_name, out)
    return y, out


def _label_pair(y, out, out_name, probabilities):
    y, out = labels_for_rows("y", y, out_name, out)
    if probabilities:
        in_unit_interval(out_name, out)
    return y, out


def _regression_pair(y, out, out_name, probabilities):
    return _matching_targets("y", y, out_name, out)


# Checks of targets for outputs of a given shape (m, ...): (y, shape, dtype) -> y.


def _label_targets(y, shape, dtype=None):
    """Class labels ``(m,)`` (or ``(m, 1)``) in 0..N-1 for outputs ``(m, N)``, as ints."""
    y = as_labels("y", y, shape[-1])
    if len(y) != shape[0]:
        raise ValueError(f"y must hold one label per example ({shape[0]}), got {len(y)}")
    return y


def _float_targets(y, shape, dtype=None, unit=False):
    """Finite float targets of ``shape`` (``(m,)`` and ``(m, 1)`` stand for each other, as in
    Keras), in [0, 1] if ``unit``, in the outputs' float ``dtype``."""
    y = as_float_array("y", y, min_ndim=1)
    if y.shape != shape:
        if {y.shape, shape} != {(shape[0],), (shape[0], 1)}:
            raise ValueError(f"y must have shape {shape} (one target per output), got {y.shape}")
        y = y.reshape(shape)
    if unit:
        in_unit_interval("y", y)
    return _as_outputs_type(y, dtype)


class Loss(NamedTuple):
    """One loss's kernels (validated arrays in; the package's models use them, ``utils`` lists
    this internal API) and what Keras calls it."""

    check: object  # (y, out, out_name, probabilities) -> validated (y, out)
    targets: object  # (y, shape, dtype) -> y checked as targets of outputs of that shape
    from_outputs: object  # per-entry loss from the outputs f(x)
    from_logits: object  # per-entry loss from the logits z, or None
    output_loss: object  # (y, z, activation) -> per-entry loss of an output layer a = g(z)
    grad_z: object  # (y, z, activation) -> dJ/dz of the output layer
    natural: str | None  # the output activation whose logits Keras uses (None: any)
    class_name: str  # its class in keras.losses


# The one table of the losses a model trains with (also what Keras calls them).
LOSSES = {
    "binary_crossentropy": Loss(
        _binary_pair,
        partial(_float_targets, unit=True),
        _bce,
        _bce_from_logits,
        _logits_output(_bce_from_logits),
        _bce_grad_z,
        "sigmoid",
        "BinaryCrossentropy",
    ),
    "sparse_categorical_crossentropy": Loss(
        _label_pair,
        _label_targets,
        _scce,
        _scce_from_logits,
        _logits_output(_scce_from_logits),
        _scce_grad_z,
        "softmax",
        "SparseCategoricalCrossentropy",
    ),
    "mean_squared_error": Loss(
        _regression_pair,
        _float_targets,
        _mse,
        None,
        _mse_output,
        _mse_grad_z,
        None,
        "MeanSquaredError",
    ),
}
LOSS_NAMES = tuple(LOSSES)


def _reduce(losses, reduce):
    """J = the mean of the per-entry ``losses``, or the losses themselves if not ``reduce``."""
    return float(np.mean(losses)) if as_bool("reduce", reduce) else losses


def _cost(loss, from_logits, y, out, reduce=True, out_name=None):
    """J of a checked ``loss`` setting: the by-hand cost functions call it by name."""
    spec = LOSSES[loss]
    out_name = out_name or ("z" if from_logits else "p")
    y, out = spec.check(y, out, out_name, not from_logits)
    kernel = spec.from_logits if from_logits else spec.from_outputs
    return _reduce(kernel(y, out), reduce)


def validate_loss(loss, from_logits=False):
    """Return ``loss`` if it is one of :data:`LOSS_NAMES` and supports ``from_logits``."""
    loss = as_choice("loss", loss, LOSS_NAMES)
    if as_bool("from_logits", from_logits) and LOSSES[loss].from_logits is None:
        raise ValueError(f"loss {loss!r} has no from_logits form (from_logits must be False)")
    return loss


def binary_crossentropy(y, p, reduce=True):
    """Mean of -[y log p + (1 - y) log(1 - p)] with p clipped as Keras does.

    ``y``: targets in [0, 1]; ``p``: probabilities in [0, 1]; both of shape ``(m,)`` or ``(m, k)``.
    Clipped to [EPSILON, 1 - EPSILON], no entry's loss exceeds -log(EPSILON) = 16.12.
    """
    return _cost("binary_crossentropy", False, y, p, reduce)


def binary_crossentropy_from_logits(y, z, reduce=True):
    """The same cost from logits z (p = sigmoid(z)), stable for any finite z.

    Uses L = max(z, 0) - z y + log(1 + e^-|z|). ``y``, ``z``: shape ``(m,)`` or ``(m, k)``.
    """
    return _cost("binary_crossentropy", True, y, z, reduce)


def binary_crossentropy_grad_z(y, z):
    """dJ/dz = (sigmoid(z) - y) / (number of entries). Shapes as in the from-logits cost."""
    return _bce_grad_z(*_binary_pair(y, z, "z", False))


def sparse_categorical_crossentropy(y, p, reduce=True):
    """Mean of -log p_y, with p clipped to [EPSILON, 1 - EPSILON] and renormalised (as Keras).

    ``y: (m,)`` or ``(m, 1)`` integer labels in 0..N-1; ``p: (m, N)`` probabilities.
    """
    return _cost("sparse_categorical_crossentropy", False, y, p, reduce)


def sparse_categorical_crossentropy_from_logits(y, z, reduce=True):
    """Mean of -log_softmax(z)_y = logsumexp(z) - z_y, stable for any finite logits.

    ``y: (m,)``, ``z: (m, N)``; with ``reduce=False`` the loss of each example, ``(m,)``.
    """
    return _cost("sparse_categorical_crossentropy", True, y, z, reduce)


def sparse_categorical_crossentropy_grad_z(y, z):
    """dJ/dz = (softmax(z) - onehot(y)) / m. ``y: (m,)``, ``z: (m, N)`` -> ``(m, N)``."""
    return _scce_grad_z(*_label_pair(y, z, "z", False))


def _one_hot_pair(Y, p):
    Y, p = _matching_targets("Y", Y, "p", p, min_ndim=2)
    if Y.ndim != 2:
        raise ValueError(f"Y and p must have 2 dimensions (m, N), got shape {Y.shape}")
    in_unit_interval("Y", Y)
    in_unit_interval("p", p)
    if np.any(p.sum(axis=1) == 0):
        raise ValueError("p must have a positive sum in every row")
    return Y, p


def categorical_crossentropy(Y, p, reduce=True):
    """Mean over the m rows of -sum_j Y_j log p_j, computed as Keras's ``CategoricalCrossentropy``.

    ``Y: (m, N)`` one-hot labels (each row a probability vector); ``p: (m, N)`` probabilities.
    Like Keras, each row of p is first divided by its sum, then clipped to
    [EPSILON, 1 - EPSILON]. With one-hot rows this is -log p_y, the same cost as
    :func:`sparse_categorical_crossentropy` with integer labels.
    """
    return _reduce(_cce(*_one_hot_pair(Y, p)), reduce)


def categorical_crossentropy_keras(Y, p, reduce=True):
    """Keras twin: ``keras.losses.CategoricalCrossentropy()(Y, p)`` on plain arrays ``(m, N)``."""
    import keras  # keeps TensorFlow out of `import utils`

    Y, p = _one_hot_pair(Y, p)
    reduction = "sum_over_batch_size" if as_bool("reduce", reduce) else None
    loss = keras.losses.CategoricalCrossentropy(reduction=reduction, dtype=p.dtype.name)
    value = loss(keras.ops.convert_to_tensor(Y), keras.ops.convert_to_tensor(p))
    return float(value) if reduce else keras.ops.convert_to_numpy(value)


def logsumexp(z):
    """log(sum_k e^{z_k}) = c + log(sum_k e^{z_k - c}) with c = max_k z_k: never overflows.

    ``z: (..., N)`` -> ``(...)``, along the last axis.
    """
    return _logsumexp(as_float_array("z", z, min_ndim=1))


def logsumexp_keras(z):
    """Keras twin of :func:`logsumexp`: ``keras.ops.logsumexp(z, axis=-1)``."""
    import keras  # keeps TensorFlow out of `import utils`

    z = as_float_array("z", z, min_ndim=1)
    tensor = keras.ops.convert_to_tensor(z, dtype=z.dtype)
    return keras.ops.convert_to_numpy(keras.ops.logsumexp(tensor, axis=-1))


def log_softmax(z):
    """log softmax(z) = z - logsumexp(z) along the last axis, stable: ``(m, N)`` -> ``(m, N)``."""
    return _log_softmax(as_float_array("z", z, ndim=2))


def mean_squared_error(y, y_hat, reduce=True):
    """Mean of (y_hat - y)^2. ``y``, ``y_hat``: shape ``(m,)`` or ``(m, k)``."""
    return _cost("mean_squared_error", False, y, y_hat, reduce, "y_hat")


def mean_squared_error_grad_z(y, z, activation="linear"):
    """dJ/dz for y_hat = g(z): 2 (g(z) - y) g'(z) / (number of entries). Shape of ``z``."""
    activation = as_choice("activation", activation, ELEMENTWISE)
    return _mse_grad_z(*_regression_pair(y, z, "z", False), activation)


def one_hot(y, n_classes):
    """Labels ``y: (m,)`` in 0..n_classes-1 -> one-hot rows ``(m, n_classes)``."""
    n_classes = positive_int("n_classes", n_classes)
    return np.eye(n_classes)[as_labels("y", y, n_classes)]


def cost(loss, y, out, from_logits=False, reduce=True):
    """The cost J of ``loss`` (one of :data:`LOSS_NAMES`) for targets ``y`` and outputs ``out``
    (logits if ``from_logits``): :func:`binary_crossentropy` and its siblings by name."""
    return _cost(validate_loss(loss, from_logits), from_logits, y, out, reduce, "out")


def cost_keras(loss, y, out, from_logits=False, reduce=True):
    """Keras twin of :func:`cost`: Keras's value on plain arrays ``y``, ``out`` (no logits
    shortcut), computed in the inputs' float type.

    ``reduce=False``: the loss of every entry (``reduction=None``; for binary cross-entropy and
    mean squared error each entry is its own one-element "sample"), shaped as the by-hand one.
    """
    import keras  # keeps TensorFlow out of `import utils`

    loss = validate_loss(loss, from_logits)
    reduce = as_bool("reduce", reduce)
    y, out = LOSSES[loss].check(y, out, "out", not from_logits)
    fn = _keras_loss(loss, from_logits, "sum_over_batch_size" if reduce else None, out.dtype.name)
    if not reduce and loss != "sparse_categorical_crossentropy":
        y, out = y[..., None], out[..., None]
    value = fn(keras.ops.convert_to_tensor(y), keras.ops.convert_to_tensor(out))
    return float(value) if reduce else keras.ops.convert_to_numpy(value)


def loss(loss, from_logits=False):
    """The by-hand loss ``loss`` as a function ``(y, out, reduce=True) -> J``, e.g.
    ``loss("binary_crossentropy")`` computes :func:`binary_crossentropy`."""
    return partial(_cost, validate_loss(loss, from_logits), from_logits, out_name="out")


def loss_keras(loss, from_logits=False, reduction="sum_over_batch_size", dtype=None):
    """Keras twin of :func:`loss`: the Keras loss object, e.g.
    ``keras.losses.BinaryCrossentropy(from_logits=from_logits)``, for ``model.compile``.

    ``dtype``: the float type it computes in (default: Keras's floatx).
    """
    loss = validate_loss(loss, from_logits)
    if reduction is not None:
        as_choice("reduction", reduction, REDUCTIONS)
    if dtype is not None:
        dtype = as_choice("dtype", dtype, ("float32", "float64"))
    return _keras_loss(loss, from_logits, reduction, dtype)


def _keras_loss(loss, from_logits, reduction, dtype):
    """The kernel of :func:`loss_keras` (checked settings)."""
    import keras  # keeps TensorFlow out of `import utils`

    cls = getattr(keras.losses, LOSSES[loss].class_name)
    if loss == "mean_squared_error":
        return cls(reduction=reduction, dtype=dtype)
    return cls(from_logits=from_logits, reduction=reduction, dtype=dtype)


def validate_output_layer(loss, activation, from_logits=False):
    """Raise ValueError unless an output layer with ``activation`` trains with ``loss``.

    Keras computes cross-entropy from the logits z whenever the output layer is the matching
    sigmoid/softmax (its "logits shortcut") or ``from_logits=True`` with a linear output;
    those are the supported pairings. Mean squared error works with any elementwise g.
    Returns the loss's row of :data:`LOSSES`: every setting is checked here, once.
    """
    loss = validate_loss(loss, from_logits)
    activation = as_choice("activation", activation, NAMES)
    spec = LOSSES[loss]
    if spec.natural is None:
        as_choice("activation", activation, ELEMENTWISE)
        return spec
    expected = "linear" if from_logits else spec.natural
    if activation != expected:
        raise ValueError(
            f"activation must be {expected!r}: loss {loss!r} with from_logits={from_logits} "
            f"needs a {expected!r} output layer, got {activation!r}"
        )
    return spec


def validate_targets(loss, y, shape, dtype=None):
    """``y`` checked as targets of ``loss`` for outputs of ``shape`` ``(m, ...)``.

    Sparse categorical cross-entropy: labels ``(m,)`` (or ``(m, 1)``) in 0..N-1 for
    ``shape = (m, N)``, returned as ints. The others: finite floats of ``shape`` (binary
    cross-entropy: in [0, 1]); like Keras, ``(m,)`` and ``(m, 1)`` stand for each other.
    ``dtype``: the outputs' float type, which float targets take (Keras casts y_true to
    y_pred's dtype; integer and bool targets too); None keeps theirs.
    """
    loss = validate_loss(loss)
    if (
        not isinstance(shape, tuple)
        or not shape
        or not all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 1 for n in shape
        )
    ):
        raise TypeError(f"shape must be a tuple of positive integers (m, ...), got {shape!r}")
    if dtype is not None:
        dtype = as_float_dtype("dtype", dtype)
    return LOSSES[loss].targets(y, tuple(int(n) for n in shape), dtype)


def output_cost_and_grad(loss, y, z, activation, from_logits=False):
    """Cost J and dJ/dz for an output layer a = g(z), as Keras computes them inside a model.

    ``y``: targets; ``z: (m, k)`` pre-activations of the output layer; ``activation``: its g,
    paired with ``loss`` as :func:`validate_output_layer` says. Returns ``(J, dJ/dz)``.
    """
    spec = validate_output_layer(loss, activation, from_logits)
    z = as_float_array("z", z, ndim=2)
    y = spec.targets(y, z.shape, z.dtype)
    return float(np.mean(spec.output_loss(y, z, activation))), spec.grad_z(y, z, activation)
