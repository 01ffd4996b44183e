"""Logistic regression written out by hand: the three training steps at their smallest.

f_{w,b}(x) = sigmoid(w . x + b); L = -y log f - (1 - y) log(1 - f); J = mean of L;
w := w - alpha dJ/dw, b := b - alpha dJ/db with dJ/dw = X^T (f - y) / m, dJ/db = mean(f - y).
The functions take ``w`` and ``b`` as arguments; :class:`LogisticRegression` holds them and
trains with the same loop as every by-hand model. Its Keras twin is a one-unit
``Dense(1, activation="sigmoid")`` model. Taught in Lab 1.
"""

import numpy as np

from .activations import KERNELS
from .dense import LayerCache
from .losses import LOSSES
from .training import Model
from .validation import as_float_array, as_number, common_float, in_unit_interval

_sigmoid = KERNELS["sigmoid"].g


def _inputs(X, w, b):
    """``X: (m, n)``, ``w: (n,)`` in their common float type, and the number ``b``."""
    X = as_float_array("X", X, ndim=2)
    w = as_float_array("w", w, ndim=1)
    if w.shape != (X.shape[1],):
        raise ValueError(
            f"w must have shape ({X.shape[1]},), one weight per feature, got {w.shape}"
        )
    return (*common_float(X, w), as_number("b", b))


def _arrays(X, y, w, b):
    """As :func:`_inputs`, and the targets ``y: (m,)`` (or ``(m, 1)``) in [0, 1]."""
    X, w, b = _inputs(X, w, b)
    y = in_unit_interval("y", as_float_array("y", y, ndim=(1, 2)).reshape(-1))
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must hold one target per row of X ({X.shape[0]}), got {y.size}")
    X, w, y = common_float(X, w, y)
    return X, y, w, b


def _logits(X, w, b):
    """z = X w + b for every row: ``(m,)``."""
    return X @ w + b


def predict(X, w, b):
    """f_{w,b}(x) = sigmoid(X w + b) for every row. ``X: (m, n)``, ``w: (n,)`` -> ``(m,)``."""
    X, w, b = _inputs(X, w, b)
    return _sigmoid(_logits(X, w, b))


def cost(X, y, w, b):
    """J(w, b): the mean logistic loss of the m rows, from z = X w + b.

    Each loss in the stable form from z, as Keras computes it for a sigmoid
    output. ``X: (m, n)``, ``y: (m,)`` of 0/1, ``w: (n,)``, ``b`` a number.
    """
    X, y, w, b = _arrays(X, y, w, b)
    loss = LOSSES["binary_crossentropy"].from_logits(y, _logits(X, w, b))
    return float(np.mean(loss))


def _gradients(X, y, w, b):
    err = _sigmoid(_logits(X, w, b)) - y
    return X.T @ err / len(y), float(err.mean())


def gradients(X, y, w, b):
    """(dJ/dw, dJ/db) = (X^T (f - y) / m, mean(f - y)). Returns ``((n,), float)``."""
    return _gradients(*_arrays(X, y, w, b))


def gradient_descent_update(X, y, w, b, alpha):
    """One step of gradient descent: returns the new ``(w, b)``; the inputs are not changed."""
    X, y, w, b = _arrays(X, y, w, b)
    alpha = as_number("alpha", alpha, above=0)
    dw, db = _gradients(X, y, w, b)
    return w - alpha * dw, b - alpha * db


class LogisticRegression(Model):
    """Logistic regression as a model: weights ``w: (n,)`` and bias ``b``, trained by ``fit``.

    Built from the initial ``w`` and ``b`` (e.g. zeros); ``fit``, ``predict``, ``cost`` and
    weight access as every by-hand model (:class:`utils.training.Model`), with Keras's shapes:
    ``get_weights()`` is ``[W (n, 1), b (1,)]`` and ``predict(X)`` is ``(m, 1)``. The
    attributes ``w`` and ``b`` give the current weights in the lecture's form.
    """

    def __init__(self, w, b=0.0):
        w = as_float_array("w", w, ndim=1)
        self.dtype = np.dtype(np.float64)
        self.params = [w.astype(self.dtype)[:, None], np.array([as_number("b", b)])]
        self.input_shape, self.output_shape = (len(w),), (1,)
        self.output_activation = "sigmoid"

    @property
    def w(self):
        """The weights w: ``(n,)`` (a copy)."""
        return self.params[0][:, 0].copy()

    @property
    def b(self):
        """The bias b, a float."""
        return float(self.params[1][0])

    def _forward(self, X):
        """z = X w + b and f = sigmoid(z) for every row, each ``(m, 1)``."""
        W, b = self.params
        Z = X @ W + b
        return [LayerCache(Z, _sigmoid(Z))]

    def _backward(self, X, caches, dZ):
        """dJ/dw = X^T dJ/dz and dJ/db = sum of dJ/dz (binary cross-entropy: dJ/dz = (f - y)/m)."""
        return [X.T @ dZ, dZ.sum(axis=0)]

    def to_keras(self):
        """Keras twin: ``Sequential([Input((n,)), Dense(1, activation="sigmoid")])`` with w, b."""
        import keras  # keeps TensorFlow out of `import utils`

        dtype = self.dtype.name
        model = keras.Sequential(
            [
                keras.Input(self.input_shape, dtype=dtype),
                keras.layers.Dense(1, activation="sigmoid", dtype=dtype),
            ]
        )
        model.set_weights(self.params)
        return model
