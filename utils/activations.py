"""Activation functions g(z) and their derivatives, by hand and in Keras.

Taught in Lab 1 (sigmoid), Lab 2 (linear, sigmoid, ReLU), Lab 3 (softmax) and
Lab 4 (why softmax subtracts the row maximum).
"""

import numpy as np

from .validation import as_float_array

NAMES = ("linear", "sigmoid", "relu", "softmax")


def linear(z):
    """g(z) = z. ``z``: any shape; returns a float array of the same shape."""
    return as_float_array("z", z).copy()


def sigmoid(z):
    """g(z) = 1 / (1 + e^-z), computed without overflow for any finite z. Same shape as ``z``."""
    z = as_float_array("z", z)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def relu(z):
    """g(z) = max(0, z). Same shape as ``z``."""
    return np.maximum(as_float_array("z", z), 0)


def softmax(z):
    """a_j = e^{z_j} / sum_k e^{z_k} along the last axis. ``z: (..., N)`` -> same shape.

    Subtracts each row's maximum first (softmax is shift-invariant), so e^z never overflows.
    """
    z = as_float_array("z", z, min_ndim=1)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def linear_derivative(z):
    """g'(z) = 1. Same shape as ``z``."""
    return np.ones_like(as_float_array("z", z))


def sigmoid_derivative(z):
    """g'(z) = g(z)(1 - g(z)); at most 0.25 and nearly 0 in the tails. Same shape as ``z``."""
    s = sigmoid(z)
    return s * (1 - s)


def relu_derivative(z):
    """g'(z) = 1 where z > 0, else 0 (Keras's convention at z = 0). Same shape as ``z``."""
    return (as_float_array("z", z) > 0).astype(np.asarray(relu(z)).dtype)


def softmax_jacobian(z):
    """da_i/dz_j = a_i (delta_ij - a_j) for each row. ``z: (m, N)`` -> ``(m, N, N)``."""
    a = softmax(as_float_array("z", z, ndim=2))
    return a[:, :, None] * np.eye(a.shape[1]) - a[:, :, None] * a[:, None, :]


FUNCTIONS = {"linear": linear, "sigmoid": sigmoid, "relu": relu, "softmax": softmax}
DERIVATIVES = {"linear": linear_derivative, "sigmoid": sigmoid_derivative, "relu": relu_derivative}


def check_name(name, allowed=NAMES):
    """Return ``name`` if it is one of ``allowed`` activation names, else raise ValueError."""
    if name not in allowed:
        raise ValueError(f"activation must be one of {allowed}, got {name!r}")
    return name


def activate(name, z):
    """Apply the activation called ``name`` (one of NAMES) to ``z``."""
    return FUNCTIONS[check_name(name)](z)


def activation_keras(name, z):
    """Keras twin of :func:`activate`: ``keras.activations.<name>(z)`` as a numpy array."""
    import keras

    z = as_float_array("z", z, min_ndim=1 if name == "softmax" else 0)
    fn = keras.activations.get(check_name(name))
    return keras.ops.convert_to_numpy(fn(keras.ops.convert_to_tensor(z, dtype=z.dtype)))


def derivative_keras(name, z):
    """Keras twin of the elementwise derivatives: dg/dz by ``tf.GradientTape``, shape of ``z``."""
    import tensorflow as tf

    z = tf.Variable(as_float_array("z", z))
    with tf.GradientTape() as tape:
        a = activation_keras_tensor(check_name(name, tuple(DERIVATIVES)), z)
    return tape.gradient(a, z).numpy()


def softmax_jacobian_keras(z):
    """Twin of :func:`softmax_jacobian` by ``tape.batch_jacobian``: ``(m, N)`` -> ``(m, N, N)``."""
    import tensorflow as tf

    z = tf.Variable(as_float_array("z", z, ndim=2))
    with tf.GradientTape() as tape:
        a = activation_keras_tensor("softmax", z)
    return tape.batch_jacobian(a, z).numpy()


def activation_keras_tensor(name, z):
    """``keras.activations.<name>`` applied to a tensor ``z``, returning a tensor."""
    import keras

    return keras.activations.get(name)(z)
