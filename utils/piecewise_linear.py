"""ReLU units build piecewise-linear functions: one unit per change of slope.

A continuous function of one input x with value ``start`` at ``knots[0]`` and slope
``slopes[k]`` from ``knots[k]`` on is, for x >= knots[0],

    f(x) = start + sum_k (slopes[k] - slopes[k-1]) relu(x - knots[k])     (slopes[-1] = 0),

a network with one hidden layer of ``len(knots)`` ReLU units (``W1 = 1``, ``b1 = -knots``) and a
linear output unit (``W2`` = the changes of slope, ``b2 = start``). Unit k is off (0) left of
``knots[k]`` and switches on there, bending the sum by its output weight.
Taught in Lab 2 (why ReLU networks can fit curves).
"""

import numpy as np

from .activations import KERNELS
from .validation import as_float_array, as_number, common_float


def _pieces(knots, slopes, start):
    knots = as_float_array("knots", knots, ndim=1)
    slopes = as_float_array("slopes", slopes, ndim=1)
    if slopes.shape != knots.shape:
        raise ValueError(
            f"slopes must hold one slope per knot ({knots.size}), got shape {slopes.shape}"
        )
    if np.any(np.diff(knots) <= 0):
        raise ValueError("knots must be strictly increasing")
    return knots, slopes, as_number("start", start)


def piecewise_linear(x, knots, slopes, start=0.0):
    """The target itself, segment by segment (no ReLU): ``x`` of any shape -> same shape.

    Equal to ``start`` left of ``knots[0]``; slope ``slopes[k]`` on ``[knots[k], knots[k+1]]``;
    the last slope continues to the right.
    """
    x = as_float_array("x", x)
    knots, slopes, start = _pieces(knots, slopes, start)
    ends = np.append(knots[1:], np.inf)
    f = np.full(x.shape, start)
    for left, right, slope in zip(knots, ends, slopes, strict=True):
        f += slope * (np.clip(x, left, right) - left)
    return f


def relu_network_weights(knots, slopes, start=0.0):
    """``[W1, b1, W2, b2]`` of the 1-k-1 ReLU network equal to :func:`piecewise_linear`.

    Shapes ``W1: (1, k)``, ``b1: (k,)``, ``W2: (k, 1)``, ``b2: (1,)`` with ``k = len(knots)``: load
    them with ``Network(1, [Layer(k, "relu"), Layer(1, "linear")]).set_weights(...)`` or a Keras
    model's ``set_weights``.
    """
    knots, slopes, start = _pieces(knots, slopes, start)
    changes = np.diff(slopes, prepend=0.0)
    return [np.ones((1, knots.size)), 0.0 - knots, changes[:, None], np.array([start])]


def _one_input_column(x):
    x = as_float_array("x", x, ndim=(1, 2))
    x = x.reshape(-1, 1) if x.ndim == 1 else x
    if x.shape[1] != 1:
        raise ValueError(f"x must have shape (m,) or (m, 1), got {x.shape}")
    return x


def unit_contributions(weights, x):
    """What each ReLU unit adds to the output: column k is ``W2[k] relu(x W1[0, k] + b1[k])``.

    ``weights``: ``[W1 (1, k), b1 (k,), W2 (k, 1), b2 (1,)]``; ``x: (m,)`` or ``(m, 1)``.
    Returns ``(m, k)``; the network's output is the row sum plus ``b2``.
    """
    x = _one_input_column(x)
    if not isinstance(weights, (list, tuple)) or len(weights) != 4:
        n = len(weights) if isinstance(weights, (list, tuple)) else type(weights).__name__
        raise ValueError(f"weights must be the list [W1, b1, W2, b2], got {n}")
    W1 = as_float_array("weights[0] (W1)", weights[0], ndim=2)
    b1 = as_float_array("weights[1] (b1)", weights[1], ndim=1)
    W2 = as_float_array("weights[2] (W2)", weights[2], ndim=2)
    k = b1.size
    if W1.shape != (1, k) or W2.shape != (k, 1):
        raise ValueError(
            f"weights: W1 must have shape (1, {k}) and W2 shape ({k}, 1), "
            f"got {W1.shape} and {W2.shape}"
        )
    x, W1, b1, W2 = common_float(x, W1, b1, W2)
    return KERNELS["relu"].g(x @ W1 + b1) * W2[:, 0]


def unit_contributions_keras(model, x):
    """Keras twin of :func:`unit_contributions` for a ``Sequential`` of two ``Dense`` layers.

    Keras computes the hidden activations ``model.layers[0](x)``; column k is multiplied by the
    output kernel's weight ``W2[k]``. Returns ``(m, k)`` as a numpy array.
    """
    import keras  # keeps TensorFlow out of `import utils`

    x = _one_input_column(x)
    if not isinstance(model, keras.Sequential):
        raise TypeError(f"model must be a keras.Sequential, got {type(model).__name__}")
    if len(model.layers) != 2 or not all(
        isinstance(layer, keras.layers.Dense) for layer in model.layers
    ):
        raise ValueError("model must be a keras.Sequential of two Dense layers (hidden, output)")
    hidden, output = model.layers
    if hidden.kernel.shape[0] != 1:
        raise ValueError(f"model must take one input, got {hidden.kernel.shape[0]}")
    a = hidden(keras.ops.convert_to_tensor(x, dtype=hidden.kernel.dtype))
    return keras.ops.convert_to_numpy(a * output.kernel[:, 0])
