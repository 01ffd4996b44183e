"""Lab 3 (softmax): the exercises' checkers.

``my_softmax``: expected answers come from :func:`utils.activations.softmax`; an answer that
is, or calls, that function does not pass. ``digits_model``: the lecture's digits model in Keras,
checked by :class:`~utils.exercises.keras_model.KerasModelChecker`: the output layer and the
loss are the student's decision (either the softmax output or the stable form passes).
"""

import numpy as np

from ..activations import softmax
from .grading import FunctionChecker
from .keras_model import KerasModelChecker, digits_spec


def _softmax_inputs(rng):
    z = rng.normal(size=3) * 2  # three logits, two of them repeated
    return [
        # z / sum z, a sigmoid per logit, e^z not divided by its sum, the log-softmax
        ((np.array([1.0, 2.0, 3.0]),), "three logits"),
        # z / sum z is 0 / 0 (nan) here
        ((np.array([0.0, 0.0, 0.0]),), "equal logits: every output 1/3"),
        # a sigmoid gives 0.92, the log-softmax 0
        ((np.array([2.5]),), "a single output is always 1"),
        # drawn at grading time (no table of the notebook's answers passes); e^(max z - z)
        (
            (np.array([-abs(z[0]), z[1], abs(z[2]), z[1], -abs(z[2])]),),
            "negative and repeated logits",
        ),
        # e^800 overflows (the naive form); spanning 2800 with a mean of 25, the logits also
        # overflow once the min or the mean is subtracted: only the max keeps e^z finite
        ((np.array([-2000.0, 600.0, 700.0, 800.0]),), "large logits: e^800 overflows to inf"),
        # the naive form: every e^z underflows to 0, and 0 / 0 is nan
        (
            (np.array([-1000.0, -999.0, -1001.0]),),
            "very negative logits: every e^z underflows to 0",
        ),
    ]


def _shifted(shift):
    """The softmax computed as e^(z - shift(z)) / sum, as a student writes it."""

    def wrong(z):
        e = np.exp(z - shift(z))
        return e / np.sum(e)

    return wrong


# The typical wrong softmaxes: (what is wrong and what to do, what that answer returns).
_SOFTMAX_MISTAKES = (
    (
        "e^z overflows to inf for large z (and every e^z underflows to 0 for very negative "
        "z): subtract max(z) first, e^(z - max z) / sum",
        _shifted(lambda z: 0.0),
    ),
    (
        "subtracting min(z) still overflows when the logits span more than about 709: "
        "subtract max(z), so that every exponent is <= 0",
        _shifted(np.min),
    ),
    (
        "subtracting the mean still overflows when a logit is more than about 709 above it: "
        "subtract max(z), so that every exponent is <= 0",
        _shifted(np.mean),
    ),
    (
        "the outputs do not sum to 1: divide e^(z - max z) by its sum",
        lambda z: np.exp(z - np.max(z)),
    ),
    (
        "that is the log of the softmax: exponentiate it, e^(z - max z) / sum",
        lambda z: z - np.max(z) - np.log(np.sum(np.exp(z - np.max(z)))),
    ),
    ("softmax exponentiates first: e^z_j / sum e^z, not z_j / sum z", lambda z: z / np.sum(z)),
    (
        "a sigmoid scores each logit alone (the outputs do not sum to 1): use e^z_j / sum e^z",
        lambda z: 1 / (1 + np.exp(-z)),
    ),
    (
        "the exponent's sign is flipped: e^(z - max z), not e^(max z - z)",
        lambda z: np.exp(np.max(z) - z) / np.sum(np.exp(np.max(z) - z)),
    ),
)

#: ``my_softmax(z)`` -> the softmax of a 1-D vector ``z: (N,)``. The cases include logits so
#: large (or so negative) that e^z overflows to inf (or underflows to 0), where the naive
#: ``np.exp(z) / np.sum(np.exp(z))`` returns nan, and logits spanning more than 709, where
#: subtracting their min or mean instead of their max overflows too.
check_my_softmax = FunctionChecker(
    "my_softmax", _softmax_inputs, softmax, seed=3, mistakes=_SOFTMAX_MISTAKES
)

# ``digits_model``: the lecture's multiclass model for the 8x8 digits (64 inputs, integer labels
# 0-9): the student decides the output layer and the loss. Dense(25, relu), Dense(15, relu),
# then 10 softmax units with SparseCategoricalCrossentropy() or 10 linear units with
# from_logits=True (either form), compiled with Adam(learning_rate=1e-3), which the lecture
# fixes; not fitted (the lab's own model shows the training, and a second fit would double the
# lab's Keras time).
DIGITS_MODEL = digits_spec()
#: ``digits_model``: the Keras digits model of :data:`DIGITS_MODEL`, built and compiled.
check_digits_model = KerasModelChecker("digits_model", DIGITS_MODEL)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab3-softmax": {"my_softmax": check_my_softmax},
    "lab3-keras-model": {"digits_model": check_digits_model},
}
