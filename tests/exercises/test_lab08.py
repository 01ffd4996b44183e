"""Lab 8's checkers: the central difference and the sigmoid unit's gradients."""

import numpy as np
import pytest

from tests.support.answers import run
from utils import computation_graph as graph
from utils.exercises import lab08


def test_typical_mistakes_are_named(capsys):
    _, out = run(
        lab08.check_central_difference_estimate, lambda f, x, eps: (f(x + eps) - f(x)) / eps, capsys
    )
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


def test_lab8_functions_are_the_lecture_graphs():
    """Lab 8's functions to differentiate are plain numpy (a judge holds no course code), the
    same numbers as the lecture's graphs."""
    for w in (-1.5, 0.0, 2.0, 3.7):
        unit = {**lab08._UNIT, "w": w}
        assert lab08._unit_cost(**lab08._UNIT)(w) == graph.forward(graph.ONE_UNIT_GRAPH, unit)["J"]
        relu = {**lab08._RELU, "w1": w}
        assert lab08._relu_cost(**lab08._RELU)(w) == pytest.approx(
            graph.forward(graph.TWO_LAYER_RELU_GRAPH, relu)["J"], rel=1e-15
        )
