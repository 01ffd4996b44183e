"""Lab 5 (multi-label classification): the exercises' checkers.

The first exercise asks for design B's cost and the gradient back propagation starts from:
``multilabel_cost(Y, Z)`` -> ``(J, dJ/dZ)`` for multi-hot targets and logits ``(m, L)``. The
expected values come from :func:`utils.losses.binary_crossentropy_from_logits` (the mean over
all m*L entries) and :func:`utils.losses.binary_crossentropy_grad_z` ((sigmoid(Z) - Y) / (m L)).
The Keras exercise states the task (three labels that do not exclude each other) and leaves
the output layer, the loss and ``from_logits`` to the student: one sigmoid per label with
``BinaryCrossentropy()``, or a linear output with ``BinaryCrossentropy(from_logits=True)``.
"""

import numpy as np

from ..losses import binary_crossentropy_from_logits, binary_crossentropy_grad_z
from .grading import FunctionChecker
from .keras_model import KerasModelChecker, ModelSpec


def _multilabel_inputs(rng):
    big = np.array([[800.0, -800.0, 800.0]])
    return [
        # L = 2 labels, all logits 0 (a = 1/2): the gradient of one label's own cost,
        # (A - Y) / m, is twice too big; dividing by 3 (this lab's labels, not L), a softmax
        # over the labels (it cannot say yes twice) and a flipped sign fail too
        ((np.array([[1.0, 0.0], [1.0, 1.0]]), np.zeros((2, 2))), "logits 0, J = log 2"),
        # m = 6: a sum over the labels, a cost per label or per image, a gradient without 1/m
        (
            ((rng.uniform(size=(6, 3)) < 0.5).astype(float), rng.normal(size=(6, 3)) * 3),
            "six images, three labels: every mean is over m*L entries",
        ),
        # sigmoid, then log: 0 log 0 = nan; log(1 + e^-z) without |z|: e^800 = inf
        ((np.array([[1.0, 0, 1]]), big), "logits +-800, all right: J = 0"),
        # probabilities clipped as Keras's BinaryCrossentropy() does cap a loss at 16.12
        ((np.array([[0.0, 1, 0]]), big), "logits +-800, all wrong: J = 800"),
    ]


def _cost_and_gradient(Y, Z):
    """Design B's cost J and dJ/dZ: ``Y, Z: (m, L)`` -> ``(J, dZ: (m, L))``."""
    return binary_crossentropy_from_logits(Y, Z), binary_crossentropy_grad_z(Y, Z)


def _sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def _with_gradient(cost):
    """A wrong cost paired with the right gradient: ``cost(Y, Z)`` -> ``(cost, dJ/dZ)``."""
    return lambda Y, Z: (cost(Y, Z), binary_crossentropy_grad_z(Y, Z))


def _with_cost(gradient):
    """The right cost paired with a wrong gradient ``gradient(Y, Z, A)``, A = sigmoid(Z)."""
    return lambda Y, Z: (binary_crossentropy_from_logits(Y, Z), gradient(Y, Z, _sigmoid(Z)))


def _softmax_answer(Y, Z):
    """Lab 3's categorical cross-entropy and its (softmax - Y) / m over the labels."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    S = E / E.sum(axis=1, keepdims=True)
    return np.mean(np.sum(-Y * np.log(S), axis=1)), (S - Y) / len(Y)


def _entries(Y, Z):
    """The m*L losses of the labels, from the logits (the course's stable form)."""
    return binary_crossentropy_from_logits(Y, Z, reduce=False)


def _clipped(Y, Z):
    A = np.clip(_sigmoid(Z), 1e-7, 1 - 1e-7)
    return np.mean(-Y * np.log(A) - (1 - Y) * np.log(1 - A))


# The typical wrong answers: (what is wrong and what to do, what that answer returns).
_MULTILABEL_MISTAKES = (
    (
        "that is J alone (Lab 4's cost): return the pair J, dZ, with dZ = dJ/dZ of shape (m, L)",
        binary_crossentropy_from_logits,
    ),
    (
        "dZ is the gradient of one label's own cost, (A - Y) / m: J also averages over the L "
        "labels, so every logit gets 1/L of that: divide A - Y by m * L (Y.size)",
        _with_cost(lambda Y, Z, A: (A - Y) / len(Y)),
    ),
    (
        "dZ lacks the 1/m: J is a mean over the m images too: divide A - Y by m * L (Y.size)",
        _with_cost(lambda Y, Z, A: (A - Y) / Y.shape[1]),
    ),
    (
        "dZ = A - Y is the gradient of one entry's loss: J is the mean of m * L of them, so "
        "divide by m * L (Y.size)",
        _with_cost(lambda Y, Z, A: A - Y),
    ),
    (
        "you divided by 3, this lab's labels: L is Y.shape[1] (divide by Y.size)",
        _with_cost(lambda Y, Z, A: (A - Y) / (3 * len(Y))),
    ),
    (
        "you summed over the L labels: J is the mean over all m*L entries and dZ = (A - Y) / (m L)",
        lambda Y, Z: (
            np.mean(np.sum(_entries(Y, Z), axis=1)),
            binary_crossentropy_grad_z(Y, Z) * Y.shape[1],
        ),
    ),
    (
        "a softmax makes the labels compete (one class per image): each label is its own "
        "sigmoid, with a binary cross-entropy per entry",
        _softmax_answer,
    ),
    (
        "the sign of dZ is flipped: dJ/dz = (a - y) / (m L), positive where a > y",
        _with_cost(lambda Y, Z, A: (Y - A) / Y.size),
    ),
    (
        "dZ has an extra a (1 - a): with the cross-entropy the sigmoid's derivative cancels, "
        "dL/dz = a - y",
        _with_cost(lambda Y, Z, A: (A - Y) * A * (1 - A) / Y.size),
    ),
    (
        "dZ lacks the sigmoid: dL/dz = g(z) - y, not z - y",
        _with_cost(lambda Y, Z, A: (Z - Y) / Y.size),
    ),
    (
        "that J is the first label's cost J_1 alone: J is the mean over all L labels too, "
        "over all m*L entries",
        _with_gradient(lambda Y, Z: np.mean(_entries(Y, Z)[:, 0])),
    ),
    (
        "J is one number, the mean over all m*L entries; yours is one cost per label or per "
        "image (a mean over one axis)",
        _with_gradient(lambda Y, Z: np.mean(_entries(Y, Z), axis=0)),
    ),
    (
        "J is one number, the mean over all m*L entries; yours is one cost per label or per "
        "image (a mean over one axis)",
        _with_gradient(lambda Y, Z: np.mean(_entries(Y, Z), axis=1)),
    ),
    (
        "sigmoid then log gives 0 log 0 (nan) or log 0 (inf) for logits of +-800: compute J "
        "from Z in Lab 4's stable form",
        _with_gradient(
            lambda Y, Z: np.mean(-Y * np.log(_sigmoid(Z)) - (1 - Y) * np.log(1 - _sigmoid(Z)))
        ),
    ),
    (
        "log(1 + e^-z) overflows for very negative z (e^800 = inf): Lab 4's stable form "
        "takes e^-|z|",
        _with_gradient(lambda Y, Z: np.mean(Z - Z * Y + np.log1p(np.exp(-Z)))),
    ),
    (
        "clipped probabilities (as BinaryCrossentropy() does to a sigmoid's output) cap each "
        "loss at 16.12: compute J from the logits, in Lab 4's stable form",
        _with_gradient(_clipped),
    ),
)

#: ``multilabel_cost(Y, Z)`` -> ``(J, dZ)``: design B's cost, the binary cross-entropy of
#: every entry of the multi-hot targets ``Y: (m, L)`` and the output layer's logits
#: ``Z: (m, L)`` averaged over all m*L entries, and its gradient ``dZ = dJ/dZ: (m, L)``. The
#: cases include two labels (not this lab's three) and logits of +-800, where sigmoid then log
#: gives nan (0 log 0) or inf (log 0).
check_multilabel_cost = FunctionChecker(
    "multilabel_cost",
    _multilabel_inputs,
    _cost_and_gradient,
    seed=5,
    mistakes=_MULTILABEL_MISTAKES,
)

#: ``model``: design B for the street scenes, a problem stated, not dictated: 256 pixels ->
#: the lecture's 16 ReLU units -> an output the student decides for three labels that do not
#: exclude each other: 3 units, each its own sigmoid (or linear, the sigmoid left to the loss),
#: binary cross-entropy (``from_logits=True`` with the linear form), and the lab's Adam.
check_model = KerasModelChecker(
    "model",
    ModelSpec.dense(
        256,
        [(16, "relu"), (3, "sigmoid")],
        task="multilabel",
        loss="BinaryCrossentropy",
        from_logits=None,
        optimizer="Adam",
        learning_rate=0.005,
    ),
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab5-multilabel-cost": {"multilabel_cost": check_multilabel_cost},
    "lab5-multilabel-model": {"model": check_model},
}
