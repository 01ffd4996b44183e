"""Lab 5 (multi-label classification): the exercises' checkers.

Expected costs come from :func:`utils.losses.binary_crossentropy_from_logits`: the mean over
all m*k entries of the multi-hot targets and the output layer's logits. The Keras exercise
asks for the lecture's multi-label model: a linear output of one unit per label, compiled
with ``BinaryCrossentropy(from_logits=True)``.
"""

import numpy as np

from ..losses import binary_crossentropy_from_logits
from .grading import FunctionChecker
from .keras_model import KerasModelChecker, ModelSpec


def _multilabel_inputs(rng):
    Y = (rng.uniform(size=(6, 3)) < 0.5).astype(float)
    Z = rng.normal(size=(6, 3)) * 3
    big = np.array([[800.0, -800.0, 800.0]])
    return [
        (
            (np.array([[1.0, 0, 1]]), np.array([[2.0, -1.5, 0.5]])),
            "one image, y = [1, 0, 1]",
        ),
        ((Y, Z), "six images: one mean of all m*k"),
        ((Y, np.zeros((6, 3))), "every logit 0: J = log 2"),
        ((Y[:, :1], Z[:, :1]), "a single label (k = 1) is plain binary cross-entropy"),
        ((np.array([[1.0, 0, 1]]), big), "logits +-800, all right: J = 0"),
        ((np.array([[0.0, 1, 0]]), big), "logits +-800, all wrong: J = 800"),
    ]


def _entries(Y, Z):
    """The m*k losses of the labels, from the logits (the course's stable form)."""
    return binary_crossentropy_from_logits(Y, Z, reduce=False)


def _naive_entries(Y, Z):
    A = 1 / (1 + np.exp(-Z))
    return -Y * np.log(A) - (1 - Y) * np.log(1 - A)


def _softmax_cost(stable):
    """The categorical cross-entropy of a softmax over the labels (``stable``: max subtracted)."""

    def wrong(Y, Z):
        E = np.exp(Z - (Z.max(axis=1, keepdims=True) if stable else 0))
        return np.mean(np.sum(-Y * np.log(E / E.sum(axis=1, keepdims=True)), axis=1))

    return wrong


_SOFTMAX = (
    "a softmax makes the labels compete (one class per image): each label is its own "
    "sigmoid, a binary cross-entropy per entry"
)

# The typical wrong costs: (what is wrong and what to do, what that answer returns).
_MULTILABEL_MISTAKES = (
    (
        "you summed over the k labels: J is the mean over all m*k entries (np.mean of the "
        "whole array)",
        lambda Y, Z: np.mean(np.sum(_entries(Y, Z), axis=1)),
    ),
    (
        "you summed every entry: J is the mean over all m*k entries (np.mean)",
        lambda Y, Z: np.sum(_entries(Y, Z)),
    ),
    (
        "that is one cost per label (a mean over axis 0): J is one number, the mean over "
        "all m*k entries",
        lambda Y, Z: np.mean(_entries(Y, Z), axis=0),
    ),
    (
        "that is one cost per image (a mean over axis 1): J is one number, the mean over "
        "all m*k entries",
        lambda Y, Z: np.mean(_entries(Y, Z), axis=1),
    ),
    (
        "sigmoid then log gives 0 log 0 (nan) or log 0 (inf) for logits of +-800: compute "
        "from Z, max(z, 0) - z y + log(1 + e^-|z|)",
        lambda Y, Z: np.mean(_naive_entries(Y, Z)),
    ),
    (_SOFTMAX, _softmax_cost(stable=False)),
    (_SOFTMAX, _softmax_cost(stable=True)),
    (
        "the sign is flipped: J >= 0, the mean of max(z, 0) - z y + log(1 + e^-|z|)",
        lambda Y, Z: -np.mean(_entries(Y, Z)),
    ),
)

#: ``multilabel_cost(Y, Z)`` -> J, the multi-label binary cross-entropy of multi-hot targets
#: ``Y: (m, k)`` and the output layer's logits ``Z: (m, k)`` (a_j = sigmoid(z_j)). The cases
#: include logits of +-800, where sigmoid then log gives nan (0 log 0) or inf (log 0).
check_multilabel_cost = FunctionChecker(
    "multilabel_cost",
    _multilabel_inputs,
    binary_crossentropy_from_logits,
    seed=5,
    mistakes=_MULTILABEL_MISTAKES,
)

#: ``model``: the lecture's multi-label model for the street scenes, 256 pixels -> 16 ReLU
#: units -> 3 logits, compiled with ``BinaryCrossentropy(from_logits=True)`` and Adam.
check_model = KerasModelChecker(
    "model",
    ModelSpec.dense(
        256,
        [(16, "relu"), (3, "linear")],
        task="multilabel",
        loss="BinaryCrossentropy",
        from_logits=True,
        optimizer="Adam",
        learning_rate=0.005,
    ),
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab5-multilabel-cost": {"multilabel_cost": check_multilabel_cost},
    "lab5-multilabel-model": {"model": check_model},
}
