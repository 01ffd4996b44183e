"""The Dense layer by hand: a^{[l]} = g(a^{[l-1]} W^{[l]} + b^{[l]}), forward and backward.

Shapes follow Keras: ``W: (n_in, units)``, ``b: (units,)``, a batch of inputs ``A_in: (m, n_in)``.
Inputs of mixed float32/float64 types are computed in float64.
Taught in Lab 1 (forward pass, one matmul per layer) and Lab 8 (back propagation).
"""

from typing import NamedTuple

import numpy as np

from .activations import ELEMENTWISE, KERNELS, NAMES
from .validation import (
    as_choice,
    as_float_array,
    as_float_dtype,
    as_generator,
    common_float,
    positive_int,
)


class LayerCache(NamedTuple):
    """What a layer's forward pass keeps for back propagation: ``Z`` (pre-activation) and
    ``A = g(Z)`` (activation), each ``(m, ...)``."""

    Z: np.ndarray
    A: np.ndarray


def glorot_uniform(n_in, units, rng, dtype=np.float64, kernel_size=None):
    """Keras's default kernel initialiser: U(-r, r) with r = sqrt(6 / (fan_in + fan_out)).

    A Dense kernel ``W: (n_in, units)`` has the fans n_in and units, so
    r = sqrt(6 / (n_in + units)). Given ``kernel_size``, a Conv1D kernel
    ``K: (kernel_size, n_in, units)`` (n_in input channels, units filters), whose fans are
    kernel_size times the channels: r = sqrt(6 / (kernel_size * (n_in + units))).
    ``rng``: a numpy Generator.
    """
    n_in, units = positive_int("n_in", n_in), positive_int("units", units)
    dtype = as_float_dtype("dtype", dtype)
    size = 1 if kernel_size is None else positive_int("kernel_size", kernel_size)
    shape = (n_in, units) if kernel_size is None else (size, n_in, units)
    limit = np.sqrt(6 / (size * (n_in + units)))
    return as_generator("rng", rng).uniform(-limit, limit, size=shape).astype(dtype)


def _layer_arrays(A_in, W, b):
    A_in = as_float_array("A_in", A_in, ndim=2)
    W = as_float_array("W", W, ndim=2)
    b = as_float_array("b", b, ndim=1)
    if W.shape[0] != A_in.shape[1]:
        raise ValueError(f"W must have {A_in.shape[1]} rows (one per input), got shape {W.shape}")
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must have shape ({W.shape[1]},), one per unit, got {b.shape}")
    return common_float(A_in, W, b)


def _dense_forward(A_in, W, b, activation):
    """The kernel of :func:`dense_forward` (validated arrays of one float type)."""
    Z = A_in @ W + b
    return LayerCache(Z, KERNELS[activation].g(Z))


def _dense_backward(dZ, A_in, W):
    """The kernel of :func:`dense_backward`: ``(dW, db, dA_in)``."""
    return A_in.T @ dZ, dZ.sum(axis=0), dZ @ W.T


class LayerKernels(NamedTuple):
    """A layer's kernels on validated arrays of one float type, for the models built of it:
    ``forward(A_in, ..., activation) -> LayerCache`` and ``backward(dZ, A_in, ...)`` -> the
    gradients of its parameters, then ``dA_in``."""

    forward: object
    backward: object


# The Dense layer's kernels (internal API: ``Network``, ``ConvNetwork`` and softmax regression).
DENSE = LayerKernels(_dense_forward, _dense_backward)


def dense_forward(A_in, W, b, activation="linear"):
    """One vectorised step: Z = A_in W + b, A = g(Z). Returns ``LayerCache(Z, A)``,
    each ``(m, units)``."""
    activation = as_choice("activation", activation, NAMES)
    return _dense_forward(*_layer_arrays(A_in, W, b), activation)


def dense_forward_loop(A_in, W, b, activation="linear"):
    """The same layer with a Python loop over examples and units (the lecture's ``my_dense``).

    Unit j computes z_j = w_j . x + b_j with ``w_j = W[:, j]``. Returns ``A: (m, units)``.
    Only for comparing against the one-matmul version; softmax is not elementwise, so excluded.
    """
    activation = as_choice("activation", activation, ELEMENTWISE)
    A_in, W, b = _layer_arrays(A_in, W, b)
    Z = np.zeros((A_in.shape[0], W.shape[1]), dtype=W.dtype)
    for i, x in enumerate(A_in):
        for j in range(W.shape[1]):
            Z[i, j] = np.dot(W[:, j], x) + b[j]
    return KERNELS[activation].g(Z)


def dense_backward(dZ, A_in, W):
    """Gradients of the cost through Z = A_in W + b, given ``dZ = dJ/dZ: (m, units)``.

    Returns ``(dW, db, dA_in)`` with shapes ``(n_in, units)``, ``(units,)``, ``(m, n_in)``.
    """
    dZ = as_float_array("dZ", dZ, ndim=2)
    A_in = as_float_array("A_in", A_in, ndim=2)
    W = as_float_array("W", W, ndim=2)
    if W.shape[0] != A_in.shape[1]:
        raise ValueError(f"W must have {A_in.shape[1]} rows (one per input), got shape {W.shape}")
    if dZ.shape != (A_in.shape[0], W.shape[1]):
        raise ValueError(f"dZ must have shape {(A_in.shape[0], W.shape[1])}, got {dZ.shape}")
    return _dense_backward(*common_float(dZ, A_in, W))


def dense_forward_keras(A_in, W, b, activation="linear"):
    """Keras twin of :func:`dense_forward`: a ``keras.layers.Dense`` with W, b -> ``(m, units)``."""
    import keras  # keeps TensorFlow out of `import utils`

    activation = as_choice("activation", activation, NAMES)
    A_in, W, b = _layer_arrays(A_in, W, b)
    layer = keras.layers.Dense(W.shape[1], activation=activation, dtype=W.dtype.name)
    layer.build((None, W.shape[0]))
    layer.set_weights([W, b])
    return keras.ops.convert_to_numpy(layer(A_in))
