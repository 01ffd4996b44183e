"""Logistic regression written out by hand: the three training steps at their smallest.

f_{w,b}(x) = sigmoid(w . x + b); L = -y log f - (1 - y) log(1 - f); J = mean of L;
w := w - alpha dJ/dw, b := b - alpha dJ/db with dJ/dw = X^T (f - y) / m, dJ/db = mean(f - y).
Its Keras twin is a one-unit ``Dense(1, activation="sigmoid")`` model. Taught in Lab 1.
"""

import numpy as np

from .activations import sigmoid
from .losses import binary_crossentropy_from_logits
from .validation import as_float_array, positive_float, positive_int


def _arrays(X, y, w, b):
    X = as_float_array("X", X, ndim=2)
    w = as_float_array("w", w, ndim=1)
    if w.shape != (X.shape[1],):
        raise ValueError(
            f"w must have shape ({X.shape[1]},), one weight per feature, got {w.shape}"
        )
    b = float(as_float_array("b", b, ndim=0))
    if y is not None:
        y = as_float_array("y", y, ndim=(1, 2)).reshape(-1)
        if y.shape != (X.shape[0],):
            raise ValueError(f"y must hold one target per row of X ({X.shape[0]}), got {y.size}")
    return X, y, w, b


def predict(X, w, b):
    """f_{w,b}(x) = sigmoid(X w + b) for every row. ``X: (m, n)``, ``w: (n,)`` -> ``(m,)``."""
    X, _, w, b = _arrays(X, None, w, b)
    return sigmoid(X @ w + b)


def cost(X, y, w, b):
    """J(w, b): the mean logistic loss, computed stably from z = X w + b. ``y: (m,)`` of 0/1."""
    X, y, w, b = _arrays(X, y, w, b)
    return binary_crossentropy_from_logits(y, X @ w + b)


def gradients(X, y, w, b):
    """(dJ/dw, dJ/db) = (X^T (f - y) / m, mean(f - y)). Returns ``((n,), float)``."""
    X, y, w, b = _arrays(X, y, w, b)
    err = sigmoid(X @ w + b) - y
    return X.T @ err / len(y), float(err.mean())


def gradient_descent_step(X, y, w, b, alpha):
    """One step of gradient descent: returns the new ``(w, b)``; the inputs are not changed."""
    dw, db = gradients(X, y, w, b)
    alpha = positive_float("alpha", alpha)
    return np.asarray(w, dtype=float) - alpha * dw, float(b) - alpha * db


def fit(X, y, w, b, alpha, epochs):
    """``epochs`` full-batch gradient descent steps from ``(w, b)``.

    Returns ``(w, b, history)`` where ``history["loss"][k]`` is J before step k + 1 (as Keras).
    """
    history = {"loss": []}
    for _ in range(positive_int("epochs", epochs)):
        history["loss"].append(cost(X, y, w, b))
        w, b = gradient_descent_step(X, y, w, b, alpha)
    return w, b, history


def keras_model(w, b):
    """Keras twin: ``Sequential([Input((n,)), Dense(1, activation="sigmoid")])`` holding w, b."""
    import keras

    w = as_float_array("w", w, ndim=1)
    model = keras.Sequential([keras.Input((len(w),)), keras.layers.Dense(1, activation="sigmoid")])
    model.set_weights([w[:, None], np.array([float(b)])])
    return model
