"""Multiclass classification: softmax regression, cross-entropy with one-hot labels, a peer.

Softmax regression with N outputs computes z_j = w_j . x + b_j and
a_j = e^{z_j} / sum_k e^{z_k} = P(y = j | x); its loss is L = -log a_y. With N = 2 it is
logistic regression. Labels come either as integers (Keras's
``SparseCategoricalCrossentropy``, :func:`utils.losses.sparse_categorical_crossentropy`) or
as one-hot rows (``CategoricalCrossentropy``, :func:`categorical_crossentropy` here); both
give the same cost. scikit-learn's ``MLPClassifier`` trains the same kind of network with its
own code and serves as an independent peer (:func:`mlp_classifier`). Taught in Lab 3.
"""

import warnings

import numpy as np

from .activations import softmax
from .losses import EPSILON
from .validation import as_float_array, as_labels, in_unit_interval, positive_float, positive_int


def _weights(W, b):
    W = as_float_array("W", W, ndim=2)
    b = as_float_array("b", b, ndim=1)
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must have shape ({W.shape[1]},), one bias per output, got {b.shape}")
    return W, b


def softmax_regression(X, W, b):
    """Z = X W + b and A = softmax(Z), row by row. Column j of ``W`` is w_j.

    ``X: (m, n)``, ``W: (n, N)``, ``b: (N,)`` -> ``(Z, A)``, both ``(m, N)``; each row of A
    sums to 1.
    """
    X = as_float_array("X", X, ndim=2)
    W, b = _weights(W, b)
    if W.shape[0] != X.shape[1]:
        raise ValueError(f"W must have {X.shape[1]} rows, one per feature, got shape {W.shape}")
    Z = X @ W + b
    return Z, softmax(Z)


def softmax_regression_keras(W, b):
    """Keras twin: ``Sequential([Input((n,)), Dense(N, activation="softmax")])`` holding W, b."""
    import keras

    W, b = _weights(W, b)
    model = keras.Sequential(
        [keras.Input((W.shape[0],)), keras.layers.Dense(W.shape[1], activation="softmax")]
    )
    model.set_weights([W, b])
    return model


def _one_hot_and_probabilities(Y, p):
    Y = in_unit_interval("Y", as_float_array("Y", Y, ndim=2))
    p = in_unit_interval("p", as_float_array("p", p, ndim=2))
    if Y.shape != p.shape:
        raise ValueError(f"Y and p must have the same shape (m, N), got {Y.shape} and {p.shape}")
    if np.any(p.sum(axis=1) == 0):
        raise ValueError("p must have a positive sum in every row")
    return Y, p


def categorical_crossentropy(Y, p):
    """Mean over the m rows of -sum_j Y_j log p_j, computed as Keras's ``CategoricalCrossentropy``.

    ``Y: (m, N)`` one-hot labels (each row a probability vector); ``p: (m, N)`` probabilities.
    Like Keras, each row of p is first divided by its sum, then clipped to
    [EPSILON, 1 - EPSILON]. With one-hot rows this is -log p_y, the same cost as
    :func:`utils.losses.sparse_categorical_crossentropy` with integer labels.
    """
    Y, p = _one_hot_and_probabilities(Y, p)
    p = np.clip(p / p.sum(axis=1, keepdims=True), EPSILON, 1 - EPSILON)
    return float(np.mean(-np.sum(Y * np.log(p), axis=1)))


def categorical_crossentropy_keras(Y, p):
    """Keras twin: ``keras.losses.CategoricalCrossentropy()(Y, p)`` on plain arrays ``(m, N)``."""
    import keras

    Y, p = _one_hot_and_probabilities(Y, p)
    loss = keras.losses.CategoricalCrossentropy()
    tensor = keras.ops.convert_to_tensor
    return float(loss(tensor(Y, dtype=p.dtype), tensor(p, dtype=p.dtype)))


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
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X = as_float_array("X", X, ndim=2)
    y = as_float_array("y", y, ndim=1)
    y = as_labels("y", y, int(max(y.max(), 0)) + 1)
    if len(y) != len(X):
        raise ValueError(f"y must hold one label per row of X ({len(X)}), got {len(y)}")
    if isinstance(hidden, (int, np.integer)) or not hidden:
        raise ValueError(f"hidden must be a non-empty sequence of layer sizes, got {hidden!r}")
    hidden = tuple(positive_int("hidden", h) for h in hidden)
    clf = MLPClassifier(
        hidden_layer_sizes=hidden,
        activation="relu",
        solver="adam",
        learning_rate_init=positive_float("learning_rate", learning_rate),
        batch_size=positive_int("batch_size", batch_size),
        max_iter=positive_int("max_iter", max_iter),
        tol=positive_float("tol", tol),
        n_iter_no_change=positive_int("n_iter_no_change", n_iter_no_change),
        random_state=seed,
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
