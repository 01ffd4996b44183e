"""Lab 3 (softmax): the exercises' checkers.

``my_softmax``: expected answers come from :func:`utils.activations.softmax`; an answer that
is, or calls, that function does not pass. ``digits_model``: the lecture's digits model in Keras,
checked by :class:`~utils.exercises.keras_model.KerasModelChecker`.
"""

import numpy as np

from ..activations import softmax
from .grading import FunctionChecker
from .keras_model import KerasModelChecker, digits_spec


def _softmax_inputs(rng):
    z = rng.normal(size=3) * 2  # three logits, two of them repeated
    return [
        ((np.array([1.0, 2.0, 3.0]),), "three logits"),
        ((np.array([0.0, 0.0, 0.0]),), "equal logits: every output 1/3"),
        ((np.array([2.5]),), "a single output is always 1"),
        (
            (np.array([-abs(z[0]), z[1], abs(z[2]), z[1], -abs(z[2])]),),
            "negative and repeated logits",
        ),
        ((np.array([500.0, 600.0, 700.0, 800.0]),), "large logits: e^800 overflows to inf"),
        (
            (np.array([-1000.0, -999.0, -1001.0]),),
            "very negative logits: every e^z underflows to 0",
        ),
    ]


#: ``my_softmax(z)`` -> the softmax of a 1-D vector ``z: (N,)``. The cases include logits so
#: large (or so negative) that e^z overflows to inf (or underflows to 0), where the naive
#: ``np.exp(z) / np.sum(np.exp(z))`` returns nan.
check_my_softmax = FunctionChecker("my_softmax", _softmax_inputs, softmax, seed=3)

# ``digits_model``: the lecture's multiclass model for the 8x8 digits (64 inputs, integer labels
# 0-9): Dense(25, relu), Dense(15, relu), Dense(10, softmax), compiled with
# SparseCategoricalCrossentropy() and Adam(learning_rate=1e-3); not fitted (the lab's own model
# shows the training, and a second fit would double the lab's Keras time).
DIGITS_MODEL = digits_spec("softmax")
#: ``digits_model``: the Keras digits model of :data:`DIGITS_MODEL`, built and compiled.
check_digits_model = KerasModelChecker("digits_model", DIGITS_MODEL)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab3-softmax": {"my_softmax": check_my_softmax},
    "lab3-keras-model": {"digits_model": check_digits_model},
}
