"""Metrics by hand against keras.metrics and scikit-learn."""

import numpy as np
import pytest
from sklearn import metrics as sk

from utils import metrics


@pytest.fixture
def multilabel(rng):
    y = rng.integers(0, 2, size=(50, 3)).astype(float)
    p = np.clip(y * 0.6 + rng.uniform(0, 0.5, size=y.shape), 0, 1)
    return y, p


def test_binary_accuracy_matches_keras(multilabel):
    y, p = multilabel
    assert metrics.binary_accuracy(y, p) == pytest.approx(
        metrics.binary_accuracy_keras(y, p), abs=1e-7
    )
    assert metrics.binary_accuracy(y, p, 0.7) == pytest.approx(
        metrics.binary_accuracy_keras(y, p, 0.7), abs=1e-7
    )


def test_precision_recall_match_keras_and_sklearn(multilabel):
    y, p = multilabel
    precision, recall = metrics.precision_recall(y, p)
    precision_k, recall_k = metrics.precision_recall_keras(y, p)
    assert np.allclose(precision, precision_k, atol=1e-7) and np.allclose(
        recall, recall_k, atol=1e-7
    )
    assert np.allclose(precision, sk.precision_score(y, p >= 0.5, average=None))
    assert np.allclose(recall, sk.recall_score(y, p >= 0.5, average=None))


def test_precision_is_zero_when_nothing_is_predicted():
    precision, recall = metrics.precision_recall([[1.0], [0.0]], [[0.1], [0.2]])
    assert precision.tolist() == [0.0] and recall.tolist() == [0.0]


def test_multiclass_accuracy_and_confusion_matrix(rng):
    y = rng.integers(0, 4, size=60)
    scores = rng.normal(size=(60, 4)) + 2 * np.eye(4)[y]
    assert metrics.accuracy(y, scores) == pytest.approx(metrics.accuracy_keras(y, scores), abs=1e-7)
    predicted = metrics.predicted_classes(scores)
    matrix = metrics.confusion_matrix(y, predicted, 4)
    assert np.array_equal(matrix, sk.confusion_matrix(y, predicted, labels=range(4)))
    assert matrix.trace() / matrix.sum() == pytest.approx(metrics.accuracy(y, scores))
