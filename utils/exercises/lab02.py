"""Lab 2 (activation functions): the exercises' checkers, in lab order.

Expected answers come from :mod:`utils.activations`; the output-activation exercise is judged
against the table :data:`OUTPUT_PROBLEMS` describes; the Keras exercise against a
:class:`~utils.exercises.keras_model.ModelSpec`.
"""

import numpy as np

from ..activations import relu, relu_derivative
from .grading import Checker, FunctionChecker, Result, Unencoded, decode, failure
from .keras_model import KerasModelChecker, ModelSpec


def _relu_inputs(rng):
    return [
        # |z|, the leaky ReLU, a ReLU clipped at 1; sign(z), a slope of 1 everywhere
        ((np.array([-3.0, -0.5, 0.0, 0.5, 3.0]),), "z < 0, z = 0, z > 0"),
        # np.max(z, 0) (the largest entry of each column), a loop over z.flatten()
        ((rng.normal(size=(2, 3)) * 3,), "a 2-D array: keep its shape"),
        # a loop `for v in z` (a 0-D array has no entries to loop over)
        ((np.array(-2.5),), "a single number (0-D array)"),
        # a slope written `z >= 0` (1 at z = 0) or np.heaviside(z, 1)
        ((np.array([0.0, -0.0]),), "z = 0 exactly (Keras takes g'(0) = 0)"),
        # above half the largest float (1.8e308): ReLU as (z + |z|) / 2 overflows to inf, and
        # a slope as the difference quotient (relu(z) - relu(z - h)) / h is 0 (z - h == z)
        ((np.array([-1.5e308, 1.5e308]),), "huge |z|: no overflow, no round-off"),
    ]


def _flattened(right):
    """The mistake of returning ``right``'s values flattened (a loop over ``z.flatten()``)."""
    return (
        "the shape is lost: return an array of z's shape (np.maximum and np.where keep it)",
        lambda z: np.ravel(right(z)),
    )


# The typical wrong ReLUs: (what is wrong and what to do, what that answer returns).
_RELU_MISTAKES = (
    (
        "np.max(z, 0) is the largest entry along axis 0; np.maximum(z, 0) compares each "
        "entry with 0",
        lambda z: np.max(z, 0),
    ),
    ("|z| keeps the size of a negative z: ReLU gives 0 for z < 0", np.abs),
    ("that is ReLU's derivative (1 where z > 0): ReLU is max(0, z)", relu_derivative),
    ("ReLU has no upper bound: max(0, z), not clipped at 1", lambda z: np.clip(z, 0, 1)),
    ("that is the leaky ReLU: ReLU gives exactly 0 for z < 0", lambda z: np.maximum(z, 0.01 * z)),
    (
        "(z + |z|) / 2 overflows to inf once z is above half the largest float: compare "
        "instead, np.maximum(z, 0)",
        lambda z: (z + np.abs(z)) / 2,
    ),
    _flattened(relu),
)

#: ``my_relu(z)`` -> max(0, z) elementwise, the shape of ``z``.
check_my_relu = FunctionChecker("my_relu", _relu_inputs, relu, seed=2, mistakes=_RELU_MISTAKES)

# The typical wrong derivatives: (what is wrong and what to do, what that answer returns).
_DERIVATIVE_MISTAKES = (
    (
        "g'(0) is 0 here, as in Keras: 1 where z > 0 (not z >= 0), else 0",
        lambda z: (np.asarray(z) >= 0).astype(float),
    ),
    ("that is ReLU itself: its derivative is 1 where z > 0, else 0", relu),
    ("sign(z) is -1 for z < 0, where ReLU's slope is 0: 1 where z > 0, else 0", np.sign),
    ("the slope is 0 where z <= 0: 1 where z > 0, else 0", np.ones_like),
    (
        "that is the leaky ReLU's slope: ReLU's is exactly 0 for z < 0",
        lambda z: np.where(z > 0, 1.0, 0.01),
    ),
    (
        "a difference quotient only approximates the slope, and for huge z, z - h rounds to z "
        "(the quotient is 0): each piece of ReLU is a line, so its slope is exact, 1 where "
        "z > 0, else 0",
        lambda z: (np.maximum(z, 0) - np.maximum(z - 1e-6, 0)) / 1e-6,
    ),
    _flattened(relu_derivative),
)

#: ``my_relu_derivative(z)`` -> g'(z) of ReLU: 1 where z > 0, else 0 (Keras's g'(0) = 0, the
#: case a ``z >= 0`` answer gets wrong).
check_my_relu_derivative = FunctionChecker(
    "my_relu_derivative", _relu_inputs, relu_derivative, seed=2, mistakes=_DERIVATIVE_MISTAKES
)

# Problems described in words, the output activation their target needs, and why.
_OUTPUT_PROBLEMS = {
    "will a customer buy the product (yes/no)": ("sigmoid", "the target is 0 or 1"),
    "tomorrow's change in a share price, in $": ("linear", "the target may be negative"),
    "the price of a house, in $1000": ("relu", "the target is never negative"),
    "is this tumour malignant": ("sigmoid", "the target is 0 or 1"),
    "the temperature at noon tomorrow, in °C": ("linear", "below 0 °C is possible"),
    "the number of hours a machine runs before it fails": (
        "relu",
        "the target is never negative",
    ),
}
# The problems of the output-activation exercise, in the order they are checked.
OUTPUT_PROBLEMS = tuple(_OUTPUT_PROBLEMS)
_CHOICES = ("sigmoid", "linear", "relu")


class OutputActivationsChecker(Checker):
    """``output_activations`` maps each of :data:`OUTPUT_PROBLEMS` to the output layer's
    activation, one of "sigmoid", "linear", "relu"; the first missing or wrong one is named."""

    def expected(self, rng=None):
        return _OUTPUT_PROBLEMS

    def judge(self, expected, report, source=""):
        answers = decode(report["value"])
        if not isinstance(answers, dict):
            kind = answers.type_name if isinstance(answers, Unencoded) else type(answers).__name__
            return Result(
                False, f"✗ {self.answer} must be a dict {{problem: activation}}, got {kind}"
            )
        total = len(expected)
        for i, (problem, (right, why)) in enumerate(expected.items(), start=1):
            got = answers.get(problem)
            if got is None:  # the stub's answer (the exercise names the three choices)
                return failure(i, total, repr(problem), "got None")
            if not (isinstance(got, str) and got in _CHOICES):
                return failure(
                    i, total, repr(problem), f"answer 'sigmoid', 'linear' or 'relu', got {got!r}"
                )
            if got != right:
                return failure(
                    i,
                    total,
                    repr(problem),
                    f"{why}; which output activation has exactly that range? (not {got!r})",
                )
        return Result(True, f"✓ output activations: all {total} checks passed", total=total)


#: ``output_activations``: a dict mapping each of :data:`OUTPUT_PROBLEMS` to the output
#: layer's activation, one of "sigmoid", "linear", "relu".
check_output_activations = OutputActivationsChecker("output_activations")

#: ``price_model``: the lecture's ``Sequential`` for a non-negative regression (a machine's
#: resale price from its age): ReLU hidden units, a ReLU output unit, the squared error.
check_price_model = KerasModelChecker(
    "price_model",
    ModelSpec.dense(1, [(16, "relu"), (1, "relu")], task="regression", loss="MeanSquaredError"),
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab2-relu": {"my_relu": check_my_relu, "my_relu_derivative": check_my_relu_derivative},
    "lab2-output": {"output_activations": check_output_activations},
    "lab2-keras": {"price_model": check_price_model},
}
