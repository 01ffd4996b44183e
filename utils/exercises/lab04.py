"""Lab 4 (numerical stability): the exercises' checkers.

``bce_from_logits``: expected answers come from
:func:`utils.losses.binary_crossentropy_from_logits`. ``logits_model``: "is this digit a 0?" in
the numerically stable form (one linear output, ``from_logits=True``), checked by
:class:`~utils.exercises.keras_model.KerasModelChecker`. ``logits_to_probabilities``: that
model's logits to probabilities, expected answers from :func:`utils.activations.sigmoid`.
"""

import numpy as np

from ..activations import sigmoid, softmax
from ..losses import binary_crossentropy_from_logits
from .grading import ALL, FunctionChecker
from .keras_model import KerasModelChecker, ModelSpec


def _bce_inputs(rng):
    z = rng.normal(size=6) * 3
    y = np.array([0.0, 1, 1, 0, 1, 0])
    return [
        # drawn at grading time: the sum for the mean, a flipped sign, the loss of 1 - y,
        # the max(z, 0) term left out
        ((y, z), "six examples, moderate logits"),
        # z read as probabilities: log 0 (and log(1 - 0)) gives inf
        ((np.array([1.0, 0.0]), np.zeros(2)), "z = 0: each loss is log 2"),
        # sigmoid then log (inf), p clipped as Keras clips it (16.1), log(1 + e^z) overflowing
        ((np.zeros(3), np.array([40.0, 1e3, 1e4])), "huge positive z with y = 0 (naive: inf)"),
        # sigmoid then log: log 0 = -inf for y = 1
        ((np.ones(3), np.array([-40.0, -1e3, -1e4])), "huge negative z with y = 1 (naive: inf)"),
        # sigmoid then log: 0 * log 0 is nan
        ((np.array([1.0, 0.0]), np.array([1e4, -1e4])), "huge z of the right sign (naive: nan)"),
        # y flattened but not z: (m, 1) against (m,) broadcasts to (m, m)
        ((y[:, None], z[:, None]), "a column of shape (m, 1)"),
    ]


def _naive_bce(y, p):
    """The cross-entropy of probabilities ``p``, the plain way: log 0 gives inf (or nan)."""
    return np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p))


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


# The typical wrong costs from logits: (what is wrong and what to do, what it returns).
_BCE_MISTAKES = (
    (
        "sigmoid then log gives log 0 (inf or nan) for huge |z|: compute from z, "
        "L = max(z, 0) - z y + log(1 + e^-|z|)",
        lambda y, z: _naive_bce(y, _sigmoid(z)),
    ),
    (
        "e^z overflows for huge z in log(1 + e^z) - z y: write log(1 + e^z) as "
        "max(z, 0) + log(1 + e^-|z|)",
        lambda y, z: np.mean(np.log(1 + np.exp(z)) - z * y),
    ),
    (
        "clipping p to [1e-7, 1 - 1e-7] (what Keras does with probabilities) caps each loss "
        "at 16.1: compute from z, L = max(z, 0) - z y + log(1 + e^-|z|)",
        lambda y, z: _naive_bce(y, np.clip(_sigmoid(z), 1e-7, 1 - 1e-7)),
    ),
    (
        "the max(z, 0) term is missing: L = max(z, 0) - z y + log(1 + e^-|z|)",
        lambda y, z: np.mean(np.log1p(np.exp(-np.abs(z))) - z * y),
    ),
    (
        "you summed the losses: the cost is their mean (np.mean)",
        lambda y, z: np.sum(binary_crossentropy_from_logits(y, z, reduce=False)),
    ),
    (
        "the sign is flipped: the cost is >= 0, L = max(z, 0) - z y + log(1 + e^-|z|)",
        lambda y, z: -binary_crossentropy_from_logits(y, z),
    ),
    (
        "this is the loss of 1 - y (or of -z): -z y goes with the label y = 1",
        lambda y, z: binary_crossentropy_from_logits(1 - y, z),
    ),
    (
        "z are logits, not probabilities: the loss of z is that of p = sigmoid(z), computed from z",
        lambda y, z: _naive_bce(y, z),
    ),
    (
        "y and z differ in shape: a column (m, 1) against (m,) broadcasts to an (m, m) table; "
        "compute with y and z of one shape",
        lambda y, z: np.mean(np.maximum(z, 0) - z * y.ravel() + np.log1p(np.exp(-np.abs(z)))),
    ),
)

#: ``bce_from_logits(y, z)`` -> the mean binary cross-entropy of the logits ``z``
#: (p = sigmoid(z)), finite and exact for |z| up to 1e4.
check_bce_from_logits = FunctionChecker(
    "bce_from_logits",
    _bce_inputs,
    binary_crossentropy_from_logits,
    seed=4,
    mistakes=_BCE_MISTAKES,
)

# ``logits_model``: "is this digit a 0?" on the digits' 64 pixels, in the numerically stable
# form. The lecture fixes the hidden layers, Dense(25, relu) and Dense(15, relu), and
# Adam(learning_rate=1e-3); the student decides Dense(1, linear) and
# BinaryCrossentropy(from_logits=True). Not fitted (the lab's own models show the training).
LOGITS_MODEL = ModelSpec.dense(
    64,
    [(25, "relu"), (15, "relu"), (1, "linear")],
    task="binary",
    loss="BinaryCrossentropy",
    from_logits=True,
    optimizer="Adam",
    learning_rate=1e-3,
)
#: ``logits_model``: the Keras model of :data:`LOGITS_MODEL`, built and compiled.
check_logits_model = KerasModelChecker("logits_model", LOGITS_MODEL)


def _logit_inputs(rng):
    return [
        # the logits unchanged, a softmax (always 1), 1 - sigmoid, tf.exp, log_sigmoid, z >= 0,
        # the probabilities flattened to (m,)
        ((np.array([[3.0]]),), "one logit z = 3, shape (1, 1)"),
        # drawn at grading time, so that no table of the first case's answers passes
        ((rng.normal(size=(6, 1)) * 3,), "six logits, shape (6, 1)"),
        # e^z / (1 + e^z): e^1000 is inf, inf / inf nan
        ((np.array([[1000.0], [-1000.0], [0.0]]),), "logits of 1000 and -1000"),
    ]


# The typical wrong probabilities: (what is wrong and what to do, what that answer returns).
_PROBABILITY_MISTAKES = (
    (
        "logits_to_probabilities returned the logits unchanged: turn them into "
        "probabilities with tf.nn.sigmoid(logits)",
        lambda Z: Z,
    ),
    (
        "a softmax over one unit is always 1: one logit gives p = sigmoid(z), "
        "tf.nn.sigmoid(logits)",
        softmax,
    ),
    (
        "that is 1 - sigmoid(z), the probability of the other label: p = 1 / (1 + e^-z) is "
        "the probability that y = 1, tf.nn.sigmoid(logits)",
        lambda Z: sigmoid(-Z),
    ),
    (
        "e^z overflows for a logit of 1000 (inf / inf is nan): use tf.nn.sigmoid(logits), "
        "which never overflows",
        lambda Z: np.exp(Z) / (1 + np.exp(Z)),
    ),
    (
        "e^z alone is not a probability (it exceeds 1): use tf.nn.sigmoid(logits)",
        np.exp,
    ),
    (
        "those are log-probabilities: use tf.nn.sigmoid(logits), not log_sigmoid",
        lambda Z: -np.logaddexp(0, -Z),
    ),
    (
        "that is the predicted label (z >= 0): the exercise asks for the probability, "
        "tf.nn.sigmoid(logits)",
        lambda Z: (Z >= 0).astype(float),
    ),
    (
        "the probabilities have shape (m,): keep the logits' shape (m, 1), tf.nn.sigmoid(logits)",
        lambda Z: sigmoid(Z).ravel(),
    ),
)

#: ``logits_to_probabilities(logits)`` -> the sigmoid of ``logits: (m, 1)``, what
#: ``tf.nn.sigmoid(model(X))`` gives for a model with one linear output unit.
check_logits_to_probabilities = FunctionChecker(
    "logits_to_probabilities",
    _logit_inputs,
    sigmoid,
    packages=ALL,
    seed=4,
    mistakes=_PROBABILITY_MISTAKES,
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab4-bce-from-logits": {"bce_from_logits": check_bce_from_logits},
    "lab4-keras-logits": {
        "logits_model": check_logits_model,
        "logits_to_probabilities": check_logits_to_probabilities,
    },
}
