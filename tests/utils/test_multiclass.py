"""Softmax regression and categorical cross-entropy against Keras; the MLPClassifier peer;
the confusion-matrix figure and Lab 3's softmax checker."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from tests.support.numerics import TOL64, max_diff  # noqa: E402
from utils import data, logistic_regression, multiclass  # noqa: E402


@pytest.fixture
def problem(rng):
    X = rng.normal(size=(20, 3))
    W = rng.normal(size=(3, 4)) * 2
    b = rng.normal(size=4)
    return X, W, b


def test_softmax_regression_matches_keras(problem):
    """Tolerance TOL64 = 1e-12; every row of A sums to 1."""
    X, W, b = problem
    Z, A = multiclass.softmax_regression(X, W, b)
    assert max_diff(Z, X @ W + b) <= TOL64
    assert max_diff(A, multiclass.softmax_regression_keras(W, b)(X)) <= TOL64
    assert max_diff(A.sum(axis=1), np.ones(len(X))) <= TOL64


def test_two_outputs_are_logistic_regression(problem):
    """Softmax over [z, 0] is sigmoid(z): W = [w, 0], b = [b, 0] is logistic regression (1e-12)."""
    X, W, b = problem
    w, b0 = W[:, 0], b[0]
    _, A = multiclass.softmax_regression(X, np.column_stack([w, np.zeros(3)]), [b0, 0.0])
    assert max_diff(A[:, 0], logistic_regression.predict(X, w, b0)) <= TOL64


def test_mlp_classifier_peer_learns_digits():
    digits = data.digits()
    clf = multiclass.mlp_classifier(
        digits.X_train, digits.y_train, learning_rate=2e-3, tol=3e-3, n_iter_no_change=5
    )
    assert clf.n_iter_ < 200 and clf.score(digits.X_test, digits.y_test) >= 0.95
    assert clf.predict_proba(digits.X_test[:3]).shape == (3, 10)
