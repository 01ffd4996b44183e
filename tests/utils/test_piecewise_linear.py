"""ReLU units build a piecewise-linear function: exact weights, by hand and in Keras."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.numerics import TOL64, max_diff
from utils.network import Layer, Network
from utils.piecewise_linear import (
    piecewise_linear,
    relu_network_weights,
    unit_contributions,
    unit_contributions_keras,
)

LAB = ([0.0, 1.0, 2.0], [-2.0, 1.0, 3.0], 2.0)  # Lab 2's target on [0, 3]


def _network(knots, slopes, start):
    net = Network(1, [Layer(len(knots), "relu"), Layer(1, "linear")])
    net.set_weights(relu_network_weights(knots, slopes, start))
    return net


def test_lab_target_values():
    x = np.array([0.0, 0.5, 1.0, 1.5, 2.0, 3.0])
    assert piecewise_linear(x, *LAB).tolist() == [2.0, 1.0, 0.0, 0.5, 1.0, 4.0]


def test_relu_network_equals_target_by_hand_and_in_keras():
    """On [0, 3]: network by hand and Keras vs the segment-by-segment target, TOL64 = 1e-12."""
    x = np.linspace(0, 3, 301)[:, None]
    net = _network(*LAB)
    target = piecewise_linear(x, *LAB)
    assert max_diff(net.predict(x), target) <= TOL64
    assert max_diff(net.to_keras()(x), target) <= TOL64


def test_unit_contributions_sum_to_output_and_switch_on_at_knots():
    x = np.linspace(0, 3, 61)
    net = _network(*LAB)
    c = unit_contributions(net.get_weights(), x)
    assert c.shape == (61, 3)
    assert max_diff(c.sum(axis=1) + net.get_weights()[3], net.predict(x[:, None])[:, 0]) <= TOL64
    assert max_diff(c, unit_contributions_keras(net.to_keras(), x)) <= TOL64
    for j, knot in enumerate(LAB[0]):
        assert np.all(c[x <= knot, j] == 0) and np.all(c[x > knot, j] != 0)


@given(
    st.lists(st.floats(-5, 5), min_size=1, max_size=5),
    st.floats(-3, 3),
)
def test_any_slopes_on_increasing_knots(slopes, start):
    knots = np.arange(len(slopes), dtype=float) * 0.7 - 1
    x = np.linspace(knots[0], knots[-1] + 2, 50)[:, None]
    net = _network(knots, slopes, start)
    assert np.allclose(net.predict(x), piecewise_linear(x, knots, slopes, start), atol=1e-10)


@pytest.mark.parametrize("start", [0.0, -1.5])
def test_weights_shapes(start):
    W1, b1, W2, b2 = relu_network_weights(*LAB[:2], start)
    assert (W1.shape, b1.shape, W2.shape, b2.shape) == ((1, 3), (3,), (3, 1), (1,))
    assert W2[:, 0].tolist() == [-2.0, 3.0, 2.0] and b2.tolist() == [start]
