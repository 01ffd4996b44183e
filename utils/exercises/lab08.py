"""Lab 8 (back propagation): the exercises' checkers, in lab order.

Expected answers come from :func:`utils.gradient_check.central_difference` and from
back propagation on :data:`utils.computation_graph.SIGMOID_UNIT_GRAPH`.
"""

from ..activations import sigmoid
from ..computation_graph import (
    SIGMOID_UNIT_GRAPH,
    backward,
    derivatives,
    derivatives_keras,
    forward,
)
from ..gradient_check import central_difference
from .grading import FunctionChecker


def _central_inputs():
    return [
        ((lambda w: w**2, 3.0, 1e-3), "J(w) = w^2 at w = 3, eps = 0.001: the lecture's example"),
        ((lambda w: (2 + 3 * w) ** 2, 3.0, 0.1), "J = (2 + 3w)^2, large eps = 0.1: exactly 66"),
        ((lambda w: w**3, -1.0, 0.5), "J = w^3 at w = -1, eps = 0.5: central, not forward"),
        ((lambda z: float(sigmoid(z)), 0.0, 1e-4), "sigmoid at z = 0"),
        ((lambda w: 7.0, 2.0, 1e-3), "a constant function: derivative 0"),
    ]


def _sigmoid_unit_inputs():
    return [
        ((2.0, -2.0, 8.0, 1.0), "the lecture's numbers x = 2, w = -2, b = 8, y = 1"),
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
