"""How good is a trained model on held-out data: accuracy, confusion matrix, precision, recall.

Each by-hand metric has a Keras twin from ``keras.metrics``. As Keras, an output counts as a
positive prediction when it is strictly above the threshold (p > threshold), so p exactly at
the threshold is a negative one; ``BinaryAccuracy`` compares with the threshold rounded to
float32 (Keras's TensorFlow backend makes it a float32 tensor), ``Precision`` and ``Recall``
with the exact threshold, and so do their twins here. Taught in Lab 1 (binary accuracy),
Lab 3 (multiclass accuracy, confusion matrix) and Lab 5 (per-label precision and recall for
multi-label outputs).
"""

import numpy as np

from .validation import (
    as_float_array,
    as_labels,
    as_number,
    labels_for_rows,
    matching_arrays,
    positive_int,
    same_shape,
)


def _binary(y, p, threshold):
    """0/1 labels and outputs of the same shape, and the threshold in (0, 1)."""
    y, p = matching_arrays("y", y, "p", p)
    if np.any((y != 0) & (y != 1)):
        raise ValueError("y must hold 0/1 labels")
    return y, p, as_number("threshold", threshold, above=0, below=1)


def binary_accuracy(y, p, threshold=0.5):
    """Share of entries where (p > threshold) equals the 0/1 label. ``y``, ``p``: same shape.

    The threshold is rounded to float32 first, as Keras's ``BinaryAccuracy`` does.
    """
    y, p, threshold = _binary(y, p, threshold)
    return float(np.mean((p > float(np.float32(threshold))) == y.astype(bool)))


def precision_recall(y, p, threshold=0.5):
    """Per-column precision TP/(TP+FP) and recall TP/(TP+FN) of (p > threshold).

    ``y``, ``p``: ``(m, k)`` 0/1 labels and probabilities (``(m,)`` is one column).
    Returns two arrays ``(k,)``; a column with nothing predicted positive has precision 0.
    """
    y, p, threshold = _binary(y, p, threshold)
    y, predicted = y.reshape(len(y), -1).astype(bool), (p > threshold).reshape(len(y), -1)
    tp = np.sum(predicted & y, axis=0)
    predicted_pos, actual_pos = predicted.sum(axis=0), y.sum(axis=0)
    precision = np.divide(tp, predicted_pos, out=np.zeros(tp.shape), where=predicted_pos > 0)
    recall = np.divide(tp, actual_pos, out=np.zeros(tp.shape), where=actual_pos > 0)
    return precision, recall


def predicted_classes(scores):
    """The class with the largest score in each row. ``scores: (m, N)`` -> ``(m,)`` ints."""
    return np.argmax(as_float_array("scores", scores, ndim=2), axis=1)


def accuracy(y, scores):
    """Share of rows whose largest score is at the true label. ``y: (m,)``, ``scores: (m, N)``."""
    y, scores = labels_for_rows("y", y, "scores", scores)
    return float(np.mean(np.argmax(scores, axis=1) == y))


def confusion_matrix(y, predicted, n_classes):
    """Counts C[i, j] of examples with true class i predicted as j. Returns ``(N, N)`` ints."""
    n_classes = positive_int("n_classes", n_classes)
    y = as_labels("y", y, n_classes)
    predicted = as_labels("predicted", predicted, n_classes)
    same_shape("y", y, "predicted", predicted)
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (y, predicted), 1)
    return matrix


def _keras_metric(metric, y, out):
    import keras  # keeps TensorFlow out of `import utils`

    metric.update_state(keras.ops.convert_to_tensor(y), keras.ops.convert_to_tensor(out))
    return keras.ops.convert_to_numpy(metric.result())


def binary_accuracy_keras(y, p, threshold=0.5):
    """Keras twin of :func:`binary_accuracy`: ``keras.metrics.BinaryAccuracy``."""
    import keras  # keeps TensorFlow out of `import utils`

    y, p, threshold = _binary(y, p, threshold)
    metric = keras.metrics.BinaryAccuracy(threshold=threshold, dtype="float64")
    return float(_keras_metric(metric, y, p))


def precision_recall_keras(y, p, threshold=0.5):
    """Keras twin of :func:`precision_recall`: ``keras.metrics.Precision``/``Recall`` per column."""
    import keras  # keeps TensorFlow out of `import utils`

    y, p, threshold = _binary(y, p, threshold)
    y, p = y.reshape(len(y), -1), p.reshape(len(y), -1)
    precision = [
        _keras_metric(keras.metrics.Precision(thresholds=threshold), y[:, j], p[:, j])
        for j in range(y.shape[1])
    ]
    recall = [
        _keras_metric(keras.metrics.Recall(thresholds=threshold), y[:, j], p[:, j])
        for j in range(y.shape[1])
    ]
    return np.array(precision, dtype=float), np.array(recall, dtype=float)


def accuracy_keras(y, scores):
    """Keras twin of :func:`accuracy`: ``keras.metrics.SparseCategoricalAccuracy``."""
    import keras  # keeps TensorFlow out of `import utils`

    y, scores = labels_for_rows("y", y, "scores", scores)
    metric = keras.metrics.SparseCategoricalAccuracy()
    return float(_keras_metric(metric, y, scores))
