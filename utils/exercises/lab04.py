"""Lab 4 (numerical stability): the exercises' checkers.

``bce_from_logits``: expected answers come from
:func:`utils.losses.binary_crossentropy_from_logits`. ``logits_model``: the lecture's recommended
digits model (linear output, ``from_logits=True``), checked by
:class:`~utils.exercises.keras_model.KerasModelChecker`. ``logits_to_probabilities``: logits to
probabilities with a softmax, expected answers from :func:`utils.activations.softmax`.
"""

import numpy as np

from ..activations import sigmoid, softmax
from ..losses import binary_crossentropy_from_logits
from .grading import ALL, FunctionChecker, close, decode, failure
from .keras_model import KerasModelChecker, digits_spec


def _bce_inputs(rng):
    z = rng.normal(size=6) * 3
    y = np.array([0.0, 1, 1, 0, 1, 0])
    return [
        ((y, z), "six examples, moderate logits"),
        ((np.array([1.0, 0.0]), np.zeros(2)), "z = 0: each loss is log 2"),
        ((np.zeros(3), np.array([40.0, 1e3, 1e4])), "huge positive z with y = 0 (naive: inf)"),
        ((np.ones(3), np.array([-40.0, -1e3, -1e4])), "huge negative z with y = 1 (naive: inf)"),
        ((np.array([1.0, 0.0]), np.array([1e4, -1e4])), "huge z of the right sign (naive: nan)"),
        ((y[:, None], z[:, None]), "a column of shape (m, 1)"),
    ]


#: ``bce_from_logits(y, z)`` -> the mean binary cross-entropy of the logits ``z``
#: (p = sigmoid(z)), finite and exact for |z| up to 1e4.
check_bce_from_logits = FunctionChecker(
    "bce_from_logits",
    _bce_inputs,
    binary_crossentropy_from_logits,
    seed=4,
)

# ``logits_model``: the lecture's recommended digits model (64 inputs, integer labels 0-9):
# Dense(25, relu), Dense(15, relu), Dense(10, linear), compiled with
# SparseCategoricalCrossentropy(from_logits=True) and Adam(learning_rate=1e-3); not fitted
# (the lab's own model shows the training).
LOGITS_MODEL = digits_spec("linear")
#: ``logits_model``: the Keras model of :data:`LOGITS_MODEL`, built and compiled.
check_logits_model = KerasModelChecker("logits_model", LOGITS_MODEL)


def _logit_inputs(rng):
    return [
        ((np.array([[1.0, 2.0, 3.0]]),), "one row"),
        ((rng.normal(size=(5, 10)) * 3,), "5 rows of 10 logits: a softmax per row"),
        ((np.array([[1000.0, 0.0, -5.0], [0.0, 0.0, 0.0]]),), "a logit of 1000, equal logits"),
    ]


class ProbabilitiesChecker(FunctionChecker):
    """A :class:`~utils.exercises.grading.FunctionChecker` that names the two typical
    mistakes of turning logits into probabilities: returning the logits unchanged, and a
    sigmoid (rows not summing to 1)."""

    def judge(self, expected, report, source=""):
        calls = self.calls(expected, report) if "calls" in report else []
        for i, (case, call) in enumerate(zip(expected, calls, strict=False), 1):
            if "value" not in call:
                break
            got = decode(call["value"])
            if close(got, case.expected, self.tol):
                continue
            logits = case.args[0]
            if close(got, logits, self.tol):
                text = (
                    f"{self.answer} returned the logits unchanged: turn them into "
                    "probabilities with tf.nn.softmax(logits)"
                )
                return failure(i, len(expected), case.hint, text)
            if close(got, sigmoid(logits), 1e-6):
                text = (
                    "a sigmoid scores each class alone (the rows do not sum to 1): "
                    "use tf.nn.softmax(logits)"
                )
                return failure(i, len(expected), case.hint, text)
            break
        return super().judge(expected, report, source)


#: ``logits_to_probabilities(logits)`` -> the softmax of each row of ``logits: (m, N)``, what
#: ``tf.nn.softmax(model(X))`` gives for a model with a linear output layer.
check_logits_to_probabilities = ProbabilitiesChecker(
    "logits_to_probabilities", _logit_inputs, softmax, packages=ALL, seed=4
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab4-bce-from-logits": {"bce_from_logits": check_bce_from_logits},
    "lab4-keras-logits": {
        "logits_model": check_logits_model,
        "logits_to_probabilities": check_logits_to_probabilities,
    },
}
