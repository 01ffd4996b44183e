"""Activation functions g(z) and their derivatives, by hand and in Keras.

Taught in Lab 1 (sigmoid), Lab 2 (linear, sigmoid, ReLU), Lab 3 (softmax) and
Lab 4 (why softmax subtracts the row maximum).
"""

import numpy as np

from .validation import as_choice, as_float_array


def _linear(z):
    return z.copy()


def _sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _relu(z):
    return np.maximum(z, 0)


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _linear_derivative(z):
    return np.ones_like(z)


def _sigmoid_derivative(z):
    s = _sigmoid(z)
    return s * (1 - s)


def _relu_derivative(z):
    return (z > 0).astype(z.dtype)


# The one table of activations: name -> (g, g') as kernels on validated float arrays.
# Softmax has no elementwise derivative (its Jacobian is softmax_jacobian).
_KERNELS = {
    "linear": (_linear, _linear_derivative),
    "sigmoid": (_sigmoid, _sigmoid_derivative),
    "relu": (_relu, _relu_derivative),
    "softmax": (_softmax, None),
}
NAMES = tuple(_KERNELS)
ELEMENTWISE = tuple(name for name, (_, slope) in _KERNELS.items() if slope is not None)


def _activate(activation, z):
    """g(z) for a validated activation name and float array (the kernel of :func:`activate`)."""
    return _KERNELS[activation][0](z)


def _derivative(activation, z):
    """g'(z) for a validated elementwise activation and float array."""
    return _KERNELS[activation][1](z)


def _z(z, activation="linear"):
    return as_float_array("z", z, min_ndim=1 if activation == "softmax" else 0)


def linear(z):
    """g(z) = z. ``z``: any shape; returns a float array of the same shape."""
    return _linear(_z(z))


def sigmoid(z):
    """g(z) = 1 / (1 + e^-z), computed without overflow for any finite z. Same shape as ``z``."""
    return _sigmoid(_z(z))


def relu(z):
    """g(z) = max(0, z). Same shape as ``z``."""
    return _relu(_z(z))


def softmax(z):
    """a_j = e^{z_j} / sum_k e^{z_k} along the last axis. ``z: (..., N)`` -> same shape.

    Subtracts each row's maximum first (softmax is shift-invariant), so e^z never overflows.
    """
    return _softmax(_z(z, "softmax"))


def linear_derivative(z):
    """g'(z) = 1. Same shape as ``z``."""
    return _linear_derivative(_z(z))


def sigmoid_derivative(z):
    """g'(z) = g(z)(1 - g(z)); at most 0.25 and nearly 0 in the tails. Same shape as ``z``."""
    return _sigmoid_derivative(_z(z))


def relu_derivative(z):
    """g'(z) = 1 where z > 0, else 0 (Keras's convention at z = 0). Same shape as ``z``."""
    return _relu_derivative(_z(z))


def softmax_jacobian(z):
    """da_i/dz_j = a_i (delta_ij - a_j) for each row. ``z: (m, N)`` -> ``(m, N, N)``."""
    a = _softmax(as_float_array("z", z, ndim=2))
    return a[:, :, None] * np.eye(a.shape[1]) - a[:, :, None] * a[:, None, :]


FUNCTIONS = {"linear": linear, "sigmoid": sigmoid, "relu": relu, "softmax": softmax}
DERIVATIVES = {"linear": linear_derivative, "sigmoid": sigmoid_derivative, "relu": relu_derivative}


def activate(activation, z):
    """Apply the activation called ``activation`` (one of :data:`NAMES`) to ``z``."""
    activation = as_choice("activation", activation, NAMES)
    return _activate(activation, _z(z, activation))


def derivative(activation, z):
    """g'(z) of the elementwise activation ``activation`` (one of :data:`ELEMENTWISE`)."""
    return _derivative(as_choice("activation", activation, ELEMENTWISE), _z(z))


def activate_keras(activation, z):
    """Keras twin of :func:`activate`: ``keras.activations.<activation>(z)`` as a numpy array."""
    import keras

    activation = as_choice("activation", activation, NAMES)
    z = _z(z, activation)
    fn = keras.activations.get(activation)
    return keras.ops.convert_to_numpy(fn(keras.ops.convert_to_tensor(z, dtype=z.dtype)))


def derivative_keras(activation, z):
    """Keras twin of :func:`derivative`: dg/dz by ``tf.GradientTape``, shape of ``z``."""
    import keras
    import tensorflow as tf

    activation = as_choice("activation", activation, ELEMENTWISE)
    z = tf.Variable(_z(z))
    with tf.GradientTape() as tape:
        a = keras.activations.get(activation)(z)
    return tape.gradient(a, z).numpy()


def softmax_jacobian_keras(z):
    """Twin of :func:`softmax_jacobian` by ``tape.batch_jacobian``: ``(m, N)`` -> ``(m, N, N)``."""
    import keras
    import tensorflow as tf

    z = tf.Variable(as_float_array("z", z, ndim=2))
    with tf.GradientTape() as tape:
        a = keras.activations.softmax(z)
    return tape.batch_jacobian(a, z).numpy()
