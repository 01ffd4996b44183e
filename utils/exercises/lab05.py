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


#: ``multilabel_cost(Y, Z)`` -> J, the multi-label binary cross-entropy of multi-hot targets
#: ``Y: (m, k)`` and the output layer's logits ``Z: (m, k)`` (a_j = sigmoid(z_j)). The cases
#: include logits of +-800, where sigmoid then log gives nan (0 log 0) or inf (log 0).
check_multilabel_cost = FunctionChecker(
    "multilabel_cost",
    _multilabel_inputs,
    binary_crossentropy_from_logits,
    seed=5,
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
