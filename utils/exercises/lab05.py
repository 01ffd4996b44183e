"""Lab 5 (multi-label classification): the exercise's checker.

Expected answers come from :func:`utils.losses.binary_crossentropy`: Keras's mean over all
m*k entries, with P clipped to [1e-7, 1 - 1e-7].
"""

import numpy as np

from ..losses import binary_crossentropy
from .grading import FunctionChecker


def _multilabel_inputs():
    rng = np.random.default_rng(5)
    Y = (rng.uniform(size=(6, 3)) < 0.5).astype(float)
    P = rng.uniform(0.05, 0.95, size=(6, 3))
    return [
        (
            (np.array([[1.0, 0, 1]]), np.array([[0.9, 0.2, 0.6]])),
            "one image, y = [1, 0, 1]: the mean is over all m*k",
        ),
        ((Y, P), "six images, three labels"),
        ((Y, np.full((6, 3), 0.5)), "every output 0.5: J = log 2"),
        ((Y[:, :1], P[:, :1]), "a single label (k = 1) is plain binary cross-entropy"),
        ((Y, Y.copy()), "outputs exactly 0 and 1, all right: clip, or 0 log 0 gives nan"),
        ((Y, 1 - Y), "outputs exactly 0 and 1, all wrong: clip, or log 0 gives inf"),
    ]


#: ``multilabel_cost(Y, P)`` -> J, the multi-label binary cross-entropy of multi-hot targets
#: ``Y: (m, k)`` and sigmoid outputs ``P: (m, k)``. The cases include outputs of exactly 0
#: and 1, where the unclipped formula gives nan (0 log 0) or inf (log 0).
check_multilabel_cost = FunctionChecker(
    "multilabel_cost", _multilabel_inputs, binary_crossentropy, forbidden=(binary_crossentropy,)
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {"lab5-multilabel-cost": {"multilabel_cost": check_multilabel_cost}}
