"""Small problems for a by-hand network and its Keras twin: one per kind of output."""

import numpy as np

from utils.network import Layer

THREE_LAYERS = [Layer(25, "sigmoid"), Layer(15, "relu"), Layer(1, "sigmoid")]
CASES = {
    "binary": (THREE_LAYERS, "binary_crossentropy", False),
    "binary_logits": (
        [Layer(8, "relu"), Layer(6, "relu"), Layer(1, "linear")],
        "binary_crossentropy",
        True,
    ),
    "multiclass": (
        [Layer(12, "relu"), Layer(8, "relu"), Layer(4, "softmax")],
        "sparse_categorical_crossentropy",
        False,
    ),
    "multiclass_logits": (
        [Layer(12, "relu"), Layer(8, "sigmoid"), Layer(4, "linear")],
        "sparse_categorical_crossentropy",
        True,
    ),
    "regression": (
        [Layer(10, "relu"), Layer(5, "sigmoid"), Layer(2, "linear")],
        "mean_squared_error",
        False,
    ),
}


def problem(name, rng, m=40, n=3):
    """Inputs X: (m, n), targets y for the named case, and its (layers, loss, from_logits)."""
    X = rng.normal(size=(m, n))
    layers, loss, from_logits = CASES[name]
    if loss == "binary_crossentropy":
        y = (X[:, :1] + X[:, 1:2] ** 2 > 0.5).astype(float)
    elif loss == "sparse_categorical_crossentropy":
        y = rng.integers(0, 4, size=m)
    else:
        y = np.column_stack([X.sum(axis=1), np.sin(X[:, 0])])
    return X, y, layers, loss, from_logits
