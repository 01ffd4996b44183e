"""Lab 3 (softmax): the exercise's checker.

Expected answers come from :func:`utils.activations.softmax`; an answer that is, or calls,
that function does not pass.
"""

import numpy as np

from ..activations import softmax
from .grading import FunctionChecker


def _softmax_inputs():
    return [
        ((np.array([1.0, 2.0, 3.0, 4.0]),), "four outputs"),
        ((np.array([0.0, 0.0, 0.0]),), "equal logits: every output 1/3"),
        ((np.array([2.5]),), "a single output is always 1"),
        ((np.array([-1.0, 0.5, 3.0, 0.5, -2.0]),), "negative and repeated logits"),
        ((np.array([500.0, 600.0, 700.0, 800.0]),), "large logits: e^800 overflows to inf"),
        (
            (np.array([-1000.0, -999.0, -1001.0]),),
            "very negative logits: every e^z underflows to 0",
        ),
    ]


#: ``my_softmax(z)`` -> the softmax of a 1-D vector ``z: (N,)``. The cases include logits so
#: large (or so negative) that e^z overflows to inf (or underflows to 0), where the naive
#: ``np.exp(z) / np.sum(np.exp(z))`` returns nan.
check_my_softmax = FunctionChecker("my_softmax", _softmax_inputs, softmax, forbidden=(softmax,))

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {"lab3-softmax": {"my_softmax": check_my_softmax}}
