"""Lab 1 (the three steps of training): the exercises' checkers, in lab order.

Expected answers come from :mod:`utils.logistic_regression`.
"""

import numpy as np

from ..logistic_regression import cost, gradient_descent_update
from .grading import FunctionChecker


def _logistic_inputs():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(6, 2))
    y = np.array([0.0, 1, 1, 0, 1, 0])
    w, b = np.array([0.5, -1.0]), 0.25
    return [
        ((X, y, np.zeros(2), 0.0), "w = 0, b = 0: every f is 0.5"),
        ((X, y, w, b), "six examples, two features"),
        ((X[:1], y[:1], w, b), "a single example"),
        ((X * 3, y, w, -2.0), "larger inputs, negative bias"),
    ]


def _step_inputs():
    return [
        (args + (alpha,), f"{hint}, alpha = {alpha}")
        for (args, hint), alpha in zip(_logistic_inputs(), (0.1, 0.5, 1.0, 0.01), strict=True)
    ]


#: ``logistic_cost(X, y, w, b)`` -> J(w, b), the mean logistic loss
#: (``X: (m, n)``, ``y: (m,)``, ``w: (n,)``, ``b`` a number).
check_logistic_cost = FunctionChecker("logistic_cost", _logistic_inputs, cost, forbidden=(cost,))

#: ``gradient_step(X, y, w, b, alpha)`` -> the new ``(w, b)`` after one gradient-descent step;
#: the arrays given are not changed.
check_gradient_step = FunctionChecker(
    "gradient_step", _step_inputs, gradient_descent_update, forbidden=(gradient_descent_update,)
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab1-logistic-cost": {"logistic_cost": check_logistic_cost},
    "lab1-gradient-step": {"gradient_step": check_gradient_step},
}
