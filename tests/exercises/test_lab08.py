"""Lab 8's checkers: the central difference and the sigmoid unit's gradients."""

import numpy as np

from tests.support.answers import run
from utils import gradient_check
from utils.exercises import lab08


def test_typical_mistakes_are_named(capsys):
    _, out = run(lab08.check_central_difference_estimate, gradient_check.forward_difference, capsys)
    assert out.startswith("✗ check 1/6")
    _, out = run(
        lab08.check_sigmoid_unit_gradients,
        lambda x, w, b, y: (
            (1 / (1 + np.exp(-(w * x + b))) - y) * x,
            1 / (1 + np.exp(-(w * x + b))) - y,
        ),
        capsys,
    )
    assert out.startswith("✗ check 1/5")
