"""Lab 4 (numerical stability): the exercise's checker.

Expected answers come from :func:`utils.losses.binary_crossentropy_from_logits`.
"""

import numpy as np

from ..losses import binary_crossentropy_from_logits
from .grading import FunctionChecker


def _bce_inputs():
    rng = np.random.default_rng(4)
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
    forbidden=(binary_crossentropy_from_logits,),
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {"lab4-bce-from-logits": {"bce_from_logits": check_bce_from_logits}}
