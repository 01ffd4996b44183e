"""Multiclass classification: softmax regression, cross-entropy with one-hot labels, a peer.

Softmax regression with N outputs computes z_j = w_j . x + b_j and
a_j = e^{z_j} / sum_k e^{z_k} = P(y = j | x); its loss is L = -log a_y. With N = 2 it is
logistic regression. Labels come either as integers (Keras's
``SparseCategoricalCrossentropy``, :func:`utils.losses.sparse_categorical_crossentropy`) or
as one-hot rows (``CategoricalCrossentropy``, :func:`utils.losses.categorical_crossentropy`);
both give the same cost. scikit-learn's ``MLPClassifier`` trains the same kind of network with
its own code and serves as an independent peer (:func:`mlp_classifier`). Taught in Lab 3.
"""

import warnings

import numpy as np

from .dense import DENSE
from .validation import (
    as_float_array,
    as_labels,
    as_number,
    as_seed,
    common_float,
    positive_int,
)


def _weights(W, b):
    W = as_float_array("W", W, ndim=2)
    b = as_float_array("b", b, ndim=1)
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must have shape ({W.shape[1]},), one bias per output, got {b.shape}")
    return common_float(W, b)


def softmax_regression(X, W, b):
    """Z = X W + b and A = softmax(Z), row by row. Column j of ``W`` is w_j.

    ``X: (m, n)``, ``W: (n, N)``, ``b: (N,)`` -> ``LayerCache(Z, A)``, both ``(m, N)``; each
    row of A sums to 1.
    """
    X = as_float_array("X", X, ndim=2)
    W, b = _weights(W, b)
    if W.shape[0] != X.shape[1]:
        raise ValueError(f"W must have {X.shape[1]} rows, one per feature, got shape {W.shape}")
    return DENSE.forward(*common_float(X, W, b), "softmax")


def softmax_regression_keras(W, b):
    """Keras twin: ``Sequential([Input((n,)), Dense(N, activation="softmax")])`` holding W, b
    (call it on ``X`` for the twin of A)."""
    import keras  # keeps TensorFlow out of `import utils`

    W, b = _weights(W, b)
    dtype = W.dtype.name
    model = keras.Sequential(
        [
            keras.Input((W.shape[0],), dtype=dtype),
            keras.layers.Dense(W.shape[1], activation="softmax", dtype=dtype),
        ]
    )
    model.set_weights([W, b])
    return model


def mlp_classifier(
    X,
    y,
    hidden=(25, 15),
    learning_rate=1e-3,
    batch_size=32,
    seed=0,
    max_iter=200,
    tol=1e-4,
    n_iter_no_change=10,
):
    """scikit-learn's ``MLPClassifier`` (ReLU hidden layers, softmax output, Adam), fitted.

    ``X: (m, n)`` features, ``y: (m,)`` integer labels 0..N-1; ``hidden``: units per hidden
    layer. It shuffles the mini-batches of each epoch from ``seed`` and stops when the
    training cost has not fallen by ``tol`` for ``n_iter_no_change`` epochs. If that has not
    happened after ``max_iter`` epochs it raises RuntimeError (instead of scikit-learn's
    ConvergenceWarning), so a result is always a converged one. Returns the classifier
    (``predict``, ``predict_proba``, ``score``, ``n_iter_``).
    """
    # scikit-learn's MLP only when a lab asks for it: its import takes about a second
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X = as_float_array("X", X, ndim=2)
    y = as_float_array("y", y, ndim=(1, 2))
    y = as_labels("y", y, int(max(y.max(), 0)) + 1)
    if len(y) != len(X):
        raise ValueError(f"y must hold one label per row of X ({len(X)}), got {len(y)}")
    if len(np.unique(y)) < 2:
        raise ValueError("y must hold at least two classes")
    if not isinstance(hidden, (tuple, list)) or not hidden:
        raise TypeError(f"hidden must be a non-empty sequence of layer sizes, got {hidden!r}")
    hidden = tuple(positive_int(f"hidden[{i}]", h) for i, h in enumerate(hidden))
    clf = MLPClassifier(
        hidden_layer_sizes=hidden,
        activation="relu",
        solver="adam",
        learning_rate_init=as_number("learning_rate", learning_rate, above=0),
        batch_size=positive_int("batch_size", batch_size),
        max_iter=positive_int("max_iter", max_iter),
        tol=as_number("tol", tol, above=0),
        n_iter_no_change=positive_int("n_iter_no_change", n_iter_no_change),
        random_state=as_seed("seed", seed),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        try:
            clf.fit(X, y)
        except ConvergenceWarning as err:
            raise RuntimeError(
                f"MLPClassifier did not converge in max_iter={max_iter} epochs; "
                "raise max_iter or tol"
            ) from err
    return clf
