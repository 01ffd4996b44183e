"""Activation functions g(z) and their derivatives, by hand and in Keras.

Taught in Lab 1 (sigmoid), Lab 2 (linear, sigmoid, ReLU), Lab 3 (softmax) and
Lab 4 (why softmax subtracts the row maximum).
"""

from typing import NamedTuple

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


class Activation(NamedTuple):
    """One activation's kernels on validated float arrays: ``g(z)`` and ``derivative(z)``
    (None for softmax, which has no elementwise derivative: see :func:`softmax_jacobian`)."""

    g: object
    derivative: object


# The one table of activations: name -> its kernels, which trust their inputs (the package's
# layers and losses call them on arrays they have checked; ``utils`` lists this internal API).
KERNELS = {
    "linear": Activation(_linear, _linear_derivative),
    "sigmoid": Activation(_sigmoid, _sigmoid_derivative),
    "relu": Activation(_relu, _relu_derivative),
    "softmax": Activation(_softmax, None),
}
NAMES = tuple(KERNELS)
ELEMENTWISE = tuple(name for name, kernels in KERNELS.items() if kernels.derivative is not None)


def _z(z, activation="linear"):
    return as_float_array("z", z, min_ndim=1 if activation == "softmax" else 0)


# The public functions of one activation each: they check ``z``, then run the kernel.
_DOCS = {
    "linear": "g(z) = z. ``z``: any shape; returns a float array of the same shape.",
    "sigmoid": "g(z) = 1 / (1 + e^-z), computed without overflow for any finite z. Same shape "
    "as ``z``.",
    "relu": "g(z) = max(0, z). Same shape as ``z``.",
    "softmax": "a_j = e^{z_j} / sum_k e^{z_k} along the last axis. ``z: (..., N)`` -> same "
    "shape.\n\n    Subtracts each row's maximum first (softmax is shift-invariant), so e^z "
    "never overflows.",
    "linear_derivative": "g'(z) = 1. Same shape as ``z``.",
    "sigmoid_derivative": "g'(z) = g(z)(1 - g(z)); at most 0.25 and nearly 0 in the tails. "
    "Same shape as ``z``.",
    "relu_derivative": "g'(z) = 1 where z > 0, else 0 (Keras's convention at z = 0). Same "
    "shape as ``z``.",
}


def _checked(name, kernel):
    """The public function ``name`` (documented in ``_DOCS``): checks ``z``, then ``kernel``."""
    activation = "softmax" if name == "softmax" else "linear"

    def public(z):
        return kernel(_z(z, activation))

    public.__code__ = public.__code__.replace(co_name=name)  # profilers and tracebacks see it
    public.__name__ = public.__qualname__ = name
    public.__doc__ = _DOCS[name]
    return public


linear = _checked("linear", _linear)
sigmoid = _checked("sigmoid", _sigmoid)
relu = _checked("relu", _relu)
softmax = _checked("softmax", _softmax)
linear_derivative = _checked("linear_derivative", _linear_derivative)
sigmoid_derivative = _checked("sigmoid_derivative", _sigmoid_derivative)
relu_derivative = _checked("relu_derivative", _relu_derivative)


def softmax_jacobian(z):
    """da_i/dz_j = a_i (delta_ij - a_j) for each row. ``z: (m, N)`` -> ``(m, N, N)``."""
    a = _softmax(as_float_array("z", z, ndim=2))
    return a[:, :, None] * np.eye(a.shape[1]) - a[:, :, None] * a[:, None, :]


def activate(activation, z):
    """Apply the activation called ``activation`` (one of :data:`NAMES`) to ``z``."""
    activation = as_choice("activation", activation, NAMES)
    return KERNELS[activation].g(_z(z, activation))


def derivative(activation, z):
    """g'(z) of the elementwise activation ``activation`` (one of :data:`ELEMENTWISE`)."""
    return KERNELS[as_choice("activation", activation, ELEMENTWISE)].derivative(_z(z))


def activate_keras(activation, z):
    """Keras twin of :func:`activate`: ``keras.activations.<activation>(z)`` as a numpy array."""
    import keras  # keeps TensorFlow out of `import utils`

    activation = as_choice("activation", activation, NAMES)
    z = _z(z, activation)
    fn = keras.activations.get(activation)
    return keras.ops.convert_to_numpy(fn(keras.ops.convert_to_tensor(z, dtype=z.dtype)))


def derivative_keras(activation, z):
    """Keras twin of :func:`derivative`: dg/dz by ``tf.GradientTape``, shape of ``z``."""
    import keras  # keeps TensorFlow out of `import utils`
    import tensorflow as tf

    activation = as_choice("activation", activation, ELEMENTWISE)
    z = tf.Variable(_z(z))
    with tf.GradientTape() as tape:
        a = keras.activations.get(activation)(z)
    return tape.gradient(a, z).numpy()


def softmax_jacobian_keras(z):
    """Twin of :func:`softmax_jacobian` by ``tape.batch_jacobian``: ``(m, N)`` -> ``(m, N, N)``."""
    import keras  # keeps TensorFlow out of `import utils`
    import tensorflow as tf

    z = tf.Variable(as_float_array("z", z, ndim=2))
    with tf.GradientTape() as tape:
        a = keras.activations.softmax(z)
    return tape.batch_jacobian(a, z).numpy()
