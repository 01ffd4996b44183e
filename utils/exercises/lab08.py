"""Lab 8 (back propagation): the exercises' checkers, in lab order.

Expected answers come from :func:`utils.gradient_check.central_difference` (on the lecture's
examples: J = w^2, its one-unit graph and its two-layer ReLU network) and from back
propagation on :data:`utils.computation_graph.SIGMOID_UNIT_GRAPH`.
"""

from ..activations import sigmoid
from ..computation_graph import (
    ONE_UNIT_GRAPH,
    SIGMOID_UNIT_GRAPH,
    TWO_LAYER_RELU_GRAPH,
    backward,
    derivatives,
    derivatives_keras,
    forward,
)
from ..gradient_check import central_difference
from .grading import FunctionChecker

_UNIT = {"x": -2.0, "y": 2.0, "b": 8.0}  # the lecture's one-unit graph, as a function of w
_RELU = {"x": 1.0, "y": 5.0, "b1": 0.0, "w2": 3.0, "b2": 1.0}  # its two-layer ReLU network


def _unit_cost(w):
    return forward(ONE_UNIT_GRAPH, {**_UNIT, "w": w})["J"]


def _relu_cost(w1):
    return forward(TWO_LAYER_RELU_GRAPH, {**_RELU, "w1": w1})["J"]


def _central_inputs():
    return [
        ((lambda w: w**2, 3.0, 1e-3), "J = w^2 at w = 3, eps = 0.001 (lecture)"),
        ((_unit_cost, 2.0, 0.1), "lecture's graph J = 1/2 (wx + b - y)^2 at w = 2"),
        ((_relu_cost, 2.0, 1e-3), "lecture's ReLU network: dJ/dw1"),
        ((lambda w: w**3, -1.0, 0.5), "J = w^3 at w = -1, eps = 0.5: central, not forward"),
        ((lambda z: float(sigmoid(z)), 0.0, 1e-4), "sigmoid at z = 0"),
        ((lambda w: 7.0, 2.0, 1e-3), "a constant function: derivative 0"),
    ]


def _sigmoid_unit_inputs():
    return [
        ((-2.0, 2.0, 8.0, 2.0), "lecture's x, w, b, y"),
        ((1.5, 0.5, -0.25, 0.0), "target y = 0"),
        ((0.0, 3.0, 0.0, 0.5), "x = 0 and a = y = 0.5: both derivatives are 0"),
        ((-2.0, 1.0, 0.5, 1.0), "a negative input"),
        ((1.0, 20.0, 10.0, 0.0), "z = 30: a saturated sigmoid, g'(z) is nearly 0"),
    ]


def _graph_gradients(x, w, b, y):
    grads = backward(SIGMOID_UNIT_GRAPH, forward(SIGMOID_UNIT_GRAPH, dict(x=x, w=w, b=b, y=y)))
    return grads["w"], grads["b"]


#: ``central_difference_estimate(f, x, eps)`` -> (f(x + eps) - f(x - eps)) / (2 eps).
check_central_difference_estimate = FunctionChecker(
    "central_difference_estimate",
    _central_inputs,
    central_difference,
    forbidden=(central_difference,),
)

#: ``sigmoid_unit_gradients(x, w, b, y)`` -> ``(dJ/dw, dJ/db)`` for one sigmoid unit with
#: J = 1/2 (g(w x + b) - y)^2, compared with back propagation on ``SIGMOID_UNIT_GRAPH``.
check_sigmoid_unit_gradients = FunctionChecker(
    "sigmoid_unit_gradients",
    _sigmoid_unit_inputs,
    _graph_gradients,
    tol=1e-10,
    forbidden=(backward, derivatives, derivatives_keras),
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab8-central-difference": {"central_difference_estimate": check_central_difference_estimate},
    "lab8-sigmoid-unit": {"sigmoid_unit_gradients": check_sigmoid_unit_gradients},
}
