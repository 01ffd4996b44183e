"""Computation graphs by hand (forward, backward) against tf.GradientTape on the same graph."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.support.graphs import GRAPHS, UNIT  # noqa: E402
from tests.support.numerics import TOL64  # noqa: E402
from utils import computation_graph as graph  # noqa: E402


def test_the_lectures_two_layer_relu_network():
    """Exact: a1 = 2, a2 = 7, J = 2; dJ/dw1 = 6 (and dJ/dw2 = 4, dJ/db2 = 2)."""
    values, grads = graph.derivatives(*GRAPHS["two_layer_relu"])
    assert [values[k] for k in ("a1", "a2", "J")] == [2.0, 7.0, 2.0]
    assert [grads[k] for k in ("w1", "b1", "w2", "b2")] == [6.0, 6.0, 4.0, 2.0]
    values, grads = graph.derivatives(*GRAPHS["relu_off"])  # z1 < 0: the ReLU passes nothing
    assert values["a1"] == 0.0 and grads["w1"] == grads["b1"] == 0.0


def test_the_lectures_numbers():
    """Exact: (2 + 3w)^2 at w = 3, and the lecture's one-unit graph: J = 2, dJ/dw = -4."""
    values = graph.forward(graph.SQUARE_GRAPH, {"w": 3})
    assert values == {"w": 3.0, "c": 9.0, "a": 11.0, "J": 121.0}
    assert graph.backward(graph.SQUARE_GRAPH, values) == {"J": 1.0, "a": 22.0, "c": 22.0, "w": 66.0}
    values = graph.forward(graph.ONE_UNIT_GRAPH, UNIT)
    assert [values[k] for k in ("c", "a", "d", "J")] == [-4.0, 4.0, 2.0, 2.0]
    grads = graph.backward(graph.ONE_UNIT_GRAPH, values)
    assert [grads[k] for k in ("d", "a", "b", "c", "w")] == [2.0, 2.0, 2.0, 2.0, -4.0]


@pytest.mark.parametrize("name", GRAPHS)
def test_forward_and_backward_match_gradient_tape(name):
    """Every value and every dJ/d(node or input) within TOL64 = 1e-12 of TensorFlow's."""
    steps, inputs = GRAPHS[name]
    values = graph.forward(steps, inputs)
    grads = graph.backward(steps, values)
    values_tf, grads_tf = graph.derivatives_keras(steps, inputs)
    assert set(values) == set(values_tf) and set(grads) == set(grads_tf)
    assert all(abs(values[k] - values_tf[k]) <= TOL64 for k in values)
    assert all(abs(grads[k] - grads_tf[k]) <= TOL64 for k in grads)


def test_shared_node_adds_both_paths_and_unused_input_gets_zero():
    steps, inputs = GRAPHS["shared_node"]
    grads = graph.backward(steps, graph.forward(steps, inputs))
    assert grads["w"] == 2 * 2 * (2 * 1.5)  # J = (2w)^2 -> 8w
    assert grads["u"] == 0.0


@given(
    x=st.floats(-5, 5),
    w=st.floats(-5, 5),
    b=st.floats(-5, 5),
    y=st.floats(0, 1),
)
def test_sigmoid_unit_backward_matches_the_formula(x, w, b, y):
    """dJ/dw = (a - y) a (1 - a) x for J = 1/2 (g(wx + b) - y)^2, within 1e-12."""
    grads = graph.backward(
        graph.SIGMOID_UNIT_GRAPH, graph.forward(graph.SIGMOID_UNIT_GRAPH, dict(x=x, w=w, b=b, y=y))
    )
    a = 1 / (1 + np.exp(-(w * x + b)))
    assert abs(grads["w"] - (a - y) * a * (1 - a) * x) <= 1e-12
    assert abs(grads["b"] - (a - y) * a * (1 - a)) <= 1e-12
