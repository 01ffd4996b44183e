"""Lab 8 (back propagation): the exercises' checkers, in lab order.

Expected answers come from :func:`utils.gradient_check.central_difference` (on the lecture's
examples: J = w^2, its one-unit graph and its two-layer ReLU network) and from back
propagation on :data:`utils.computation_graph.SIGMOID_UNIT_GRAPH`.
"""

import numpy as np

from ..computation_graph import SIGMOID_UNIT_GRAPH, backward, forward
from ..gradient_check import central_difference
from .grading import FunctionChecker

_UNIT = {"x": -2.0, "y": 2.0, "b": 8.0}  # the lecture's one-unit graph, as a function of w
_RELU = {"x": 1.0, "y": 5.0, "b1": 0.0, "w2": 3.0, "b2": 1.0}  # its two-layer ReLU network


def _unit_cost(x, y, b):
    """J(w) of the lecture's one-unit graph, 1/2 (w x + b - y)^2, as a plain function (a
    judge holds no course code; tests/test_exercises.py checks it against the graph)."""
    return lambda w: 0.5 * (w * x + b - y) ** 2


def _relu_cost(x, y, b1, w2, b2):
    """J(w1) of the lecture's two-layer ReLU network, 1/2 (w2 relu(w1 x + b1) + b2 - y)^2."""
    return lambda w1: 0.5 * (w2 * max(w1 * x + b1, 0.0) + b2 - y) ** 2


def _central_inputs(rng):
    c, w = rng.uniform(0.5, 2.0), -rng.uniform(0.5, 2.0)
    return [
        ((lambda w: w**2, 3.0, 1e-3), "J = w^2 at w = 3, eps = 0.001 (lecture)"),
        ((_unit_cost(**_UNIT), 2.0, 0.1), "lecture's graph J = 1/2 (wx + b - y)^2 at w = 2"),
        ((_relu_cost(**_RELU), 2.0, 1e-3), "lecture's ReLU network: dJ/dw1"),
        ((lambda v: c * v**3, w, 0.5), "J = c w^3 at a w < 0, eps = 0.5: central, not forward"),
        ((lambda z: 1 / (1 + np.exp(-z)), 0.0, 1e-4), "sigmoid at z = 0"),
        ((lambda w: 7.0, 2.0, 1e-3), "a constant function: derivative 0"),
    ]


def _sigmoid_unit_inputs(rng):
    x, w, b, y = -rng.uniform(0.5, 3.0), rng.normal(), rng.normal(), rng.uniform()
    return [
        ((-2.0, 2.0, 8.0, 2.0), "lecture's x, w, b, y"),
        ((1.5, 0.5, -0.25, 0.0), "target y = 0"),
        ((0.0, 3.0, 0.0, 0.5), "x = 0 and a = y = 0.5: both derivatives are 0"),
        ((x, w, b, y), "a negative input"),
        ((1.0, 20.0, 10.0, 0.0), "z = 30: a saturated sigmoid, g'(z) is nearly 0"),
    ]


def _graph_gradients(x, w, b, y):
    grads = backward(SIGMOID_UNIT_GRAPH, forward(SIGMOID_UNIT_GRAPH, dict(x=x, w=w, b=b, y=y)))
    return grads["w"], grads["b"]


_CENTRAL = "(f(x + eps) - f(x - eps)) / (2 * eps)"

# The typical wrong estimates: (what is wrong and what to do, what that answer returns).
_CENTRAL_MISTAKES = (
    (
        f"that is the forward difference (error O(eps)): the central one is {_CENTRAL}",
        lambda f, x, eps: (f(x + eps) - f(x)) / eps,
    ),
    (
        f"that is the backward difference (error O(eps)): the central one is {_CENTRAL}",
        lambda f, x, eps: (f(x) - f(x - eps)) / eps,
    ),
    (
        f"the two points are 2 eps apart: divide by 2 * eps, {_CENTRAL}",
        lambda f, x, eps: (f(x + eps) - f(x - eps)) / eps,
    ),
    (
        f"/ 2 * eps multiplies by eps (left to right): write / (2 * eps), {_CENTRAL}",
        lambda f, x, eps: (f(x + eps) - f(x - eps)) / 2 * eps,
    ),
    (
        f"the difference is not divided by the step: {_CENTRAL}",
        lambda f, x, eps: f(x + eps) - f(x - eps),
    ),
    (
        f"the sign is flipped: f(x + eps) comes first, {_CENTRAL}",
        lambda f, x, eps: (f(x - eps) - f(x + eps)) / (2 * eps),
    ),
)

#: ``central_difference_estimate(f, x, eps)`` -> (f(x + eps) - f(x - eps)) / (2 eps).
check_central_difference_estimate = FunctionChecker(
    "central_difference_estimate",
    _central_inputs,
    central_difference,
    seed=8,
    mistakes=_CENTRAL_MISTAKES,
)


def _sigmoid_unit(dz_of):
    """The gradients ``(dz * x, dz)`` of a sigmoid unit with ``dz = dz_of(a, y, z)``."""

    def wrong(x, w, b, y):
        z = w * x + b
        a = 1 / (1 + np.exp(-z))
        dz = dz_of(a, y, z)
        return dz * x, dz

    return wrong


def _gradients_then(change):
    """The right gradients ``(dJ/dw, dJ/db)``, passed through ``change``."""
    return lambda x, w, b, y: change(*_graph_gradients(x, w, b, y), x)


# The typical wrong gradients: (what is wrong and what to do, what that answer returns).
_UNIT_MISTAKES = (
    (
        "the sigmoid's derivative g'(z) = a (1 - a) is missing: dJ/dz = (a - y) a (1 - a)",
        _sigmoid_unit(lambda a, y, z: a - y),
    ),
    (
        "g'(z) = a (1 - a), with a = g(z), not z (1 - z): dJ/dz = (a - y) a (1 - a)",
        _sigmoid_unit(lambda a, y, z: (a - y) * z * (1 - z)),
    ),
    (
        "the sign is flipped: dJ/da = a - y (J = 1/2 (a - y)^2), not y - a",
        _gradients_then(lambda dw, db, x: (-dw, -db)),
    ),
    (
        "J has a 1/2: dJ/da = a - y, not 2 (a - y)",
        _gradients_then(lambda dw, db, x: (2 * dw, 2 * db)),
    ),
    (
        "dJ/dw is missing its x: z = w x + b, so dJ/dw = dJ/dz * x",
        _gradients_then(lambda dw, db, x: (db, db)),
    ),
    (
        "dJ/db has an x: z = w x + b, so dz/db = 1 and dJ/db = dJ/dz",
        _gradients_then(lambda dw, db, x: (dw, dw)),
    ),
    (
        "the two are swapped: return (dJ/dw, dJ/db), in that order",
        _gradients_then(lambda dw, db, x: (db, dw)),
    ),
)

#: ``sigmoid_unit_gradients(x, w, b, y)`` -> ``(dJ/dw, dJ/db)`` for one sigmoid unit with
#: J = 1/2 (g(w x + b) - y)^2, compared with back propagation on ``SIGMOID_UNIT_GRAPH``.
#: Within 1e-6 (absolute below 1, relative above): a right answer computed in float32
#: passes (about 7 significant digits); every catalogued mistake is off by far more.
check_sigmoid_unit_gradients = FunctionChecker(
    "sigmoid_unit_gradients",
    _sigmoid_unit_inputs,
    _graph_gradients,
    tol=1e-6,
    seed=8,
    mistakes=_UNIT_MISTAKES,
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab8-central-difference": {"central_difference_estimate": check_central_difference_estimate},
    "lab8-sigmoid-unit": {"sigmoid_unit_gradients": check_sigmoid_unit_gradients},
}
