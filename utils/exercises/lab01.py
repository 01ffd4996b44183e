"""Lab 1 (the three steps of training): the exercises' checkers, in lab order.

Expected answers come from :mod:`utils.logistic_regression` (the training loop's from
:class:`~utils.logistic_regression.LogisticRegression`'s ``fit``, whose costs are Keras's
``fit`` history: ``tests/exercises/test_lab01.py``); the Keras exercise is checked against a
:class:`~utils.exercises.keras_model.ModelSpec`.
"""

import numpy as np

from ..data import COFFEE_ROASTS, coffee_roasting, train_size
from ..logistic_regression import LogisticRegression, cost, gradient_descent_update
from ..optimizers import GradientDescent
from .grading import FunctionChecker
from .keras_model import KerasModelChecker, ModelSpec, Training


def _step_inputs(rng):
    X = rng.normal(size=(6, 2))
    y = np.array([0.0, 1, 1, 0, 1, 0])
    w, b = np.array([0.5, -1.0]), 0.25
    # short hints: the first case's message fits the 79-column output
    return [
        # a step without the 1/m, or uphill, fails here; w -= ... changes this w in place
        ((X, y, np.zeros(2), 0.0, 0.1), "w = b = 0"),
        # b left unchanged, or z without b, fails here (above, mean(f - y) is 0)
        ((X, y, w, b, 0.5), "alpha = 0.5"),
        # a 1/m written as / 6, the m of the other cases, fails here
        ((X[:1], y[:1], w, b, 1.0), "one example, alpha = 1"),
        # dJ/db from the w already updated fails here too, with a small step
        ((X * 3, y, w, -2.0, 0.01), "alpha = 0.01"),
    ]


def _f(X, w, b):
    """The model's outputs f = sigmoid(X w + b), written the plain way a student does."""
    return 1 / (1 + np.exp(-(X @ w + b)))


def _losses(y, f):
    return -y * np.log(f) - (1 - y) * np.log(1 - f)


# The typical wrong costs a training loop computes (what is wrong and what to do, what that
# answer returns): the loop's checker names them.
_COST_MISTAKES = (
    (
        "you summed the losses: J is their mean, (1/m) times the sum (np.mean)",
        lambda X, y, w, b: np.sum(_losses(y, _f(X, w, b))),
    ),
    (
        "the sign is flipped: L = -y log f - (1 - y) log(1 - f), so J >= 0",
        lambda X, y, w, b: -cost(X, y, w, b),
    ),
    (
        # a sigmoid 1 / (1 + e^z) gives 1 - f: the same numbers as swapping y and 1 - y
        "this is the cost of 1 - f: the sigmoid is 1 / (1 + e^(-z)), and y goes with log f "
        "(L = -y log f - (1 - y) log(1 - f))",
        lambda X, y, w, b: cost(X, 1 - y, w, b),
    ),
    (
        "the bias is missing: z = X w + b",
        lambda X, y, w, b: cost(X, y, w, 0.0),
    ),
    (
        "the (1 - y) log(1 - f) term is missing: examples with y = 0 cost something too",
        lambda X, y, w, b: np.mean(-y * np.log(_f(X, w, b))),
    ),
    (
        "that is the squared error; the logistic cost is the mean of -y log f - (1 - y) log(1 - f)",
        lambda X, y, w, b: np.mean((_f(X, w, b) - y) ** 2),
    ),
)


def _gradients(X, y, w, b):
    """dJ/dw and dJ/db of the logistic cost, as the lab writes them."""
    err = _f(X, w, b) - y
    return X.T @ err / len(y), np.mean(err)


def _sequential_step(X, y, w, b, alpha):
    w_new = w - alpha * _gradients(X, y, w, b)[0]
    return w_new, b - alpha * _gradients(X, y, w_new, b)[1]


# The typical wrong steps: (what is wrong and what to do, what that answer returns).
_STEP_MISTAKES = (
    (
        "the 1/m is missing: the gradient is the mean over the m examples, X^T (f - y) / m",
        lambda X, y, w, b, alpha: gradient_descent_update(X, y, w, b, alpha * len(y)),
    ),
    (
        "the step goes uphill: subtract alpha times the gradient, w - alpha dJ/dw "
        "(with the error f - y, not y - f)",
        lambda X, y, w, b, alpha: tuple(
            p + alpha * g for p, g in zip((w, b), _gradients(X, y, w, b), strict=True)
        ),
    ),
    (
        "b is not updated: b - alpha * mean(f - y)",
        lambda X, y, w, b, alpha: (gradient_descent_update(X, y, w, b, alpha)[0], b),
    ),
    (
        "the error uses z, not f = sigmoid(z): apply the sigmoid before subtracting y",
        lambda X, y, w, b, alpha: (
            w - alpha * X.T @ (X @ w + b - y) / len(y),
            b - alpha * np.mean(X @ w + b - y),
        ),
    ),
    (
        "dJ/db was computed with the new w: compute both gradients first, then update",
        _sequential_step,
    ),
)

#: ``gradient_step(X, y, w, b, alpha)`` -> the new ``(w, b)`` after one gradient-descent step;
#: the arrays given are not changed.
check_gradient_step = FunctionChecker(
    "gradient_step", _step_inputs, gradient_descent_update, seed=1, mistakes=_STEP_MISTAKES
)


def _loop_inputs(rng):
    X, y = rng.normal(size=(6, 2)), np.array([0.0, 1, 1, 0, 1, 1])
    X3, y3 = rng.normal(size=(8, 3)), np.array([1.0, 0, 0, 1, 1, 0, 1, 0])
    return [
        # every mistake of _LOOP_MISTAKES fails here; w -= ... changes this w in place
        ((X, y, np.zeros(2), 0.0, 0.5, 3), "w = b = 0"),
        # a loop written for two features (w[0] * X[:, 0] + w[1] * X[:, 1]) fails here
        ((X3, y3, np.array([0.5, -1.0, 0.25]), -1.0, 0.2, 6), "3 features, 6 epochs"),
        # a cost recorded after its step, or a loop of range(1, epochs), fails here
        ((X[:1], y[:1], np.array([0.5, -1.0]), 0.25, 0.1, 1), "one example, one epoch"),
    ]


def _fit(X, y, w, b, alpha, epochs):
    """The costs of ``epochs`` full-batch gradient-descent steps of logistic regression from
    ``(w, b)``, by hand: J before each step, as Keras's ``fit`` history. Returns ``(epochs,)``."""
    model = LogisticRegression(w, b)
    history = model.fit(
        X, y, "binary_crossentropy", GradientDescent(alpha), epochs, None, shuffle=False
    )
    return np.array(history["loss"])


def _wrong_loop(step=gradient_descent_update, cost=cost, after=False):
    """A loop that records ``cost`` before (or ``after``) each ``step``: the costs it returns."""

    def loop(X, y, w, b, alpha, epochs):
        costs = []
        for _ in range(epochs):
            before = cost(X, y, w, b)
            w, b = step(X, y, w, b, alpha)
            costs.append(cost(X, y, w, b) if after else before)
        return np.array(costs)

    return loop


def _trained_cost(X, y, w, b, alpha, epochs):
    """The cost after the last step (what a loop returns that keeps only the final cost)."""
    for _ in range(epochs):
        w, b = gradient_descent_update(X, y, w, b, alpha)
    return cost(X, y, w, b)


_ONLY_LAST = "only one cost: return a list of every epoch's cost, as Keras's history holds them"

# The typical wrong loops: (what is wrong and what to do, what that answer returns). A wrong
# step or a wrong cost inside the loop is named as in the exercises before.
_LOOP_MISTAKES = (
    (
        "each cost was recorded after its step, one epoch late: Keras's loss of epoch k is "
        "J before that epoch's step; compute J, then update w and b",
        _wrong_loop(after=True),
    ),
    (
        "the cost never changes: keep the new parameters each step returns "
        "(w, b = ...), or the loop repeats the first step",
        lambda X, y, w, b, alpha, epochs: np.full(epochs, cost(X, y, w, b)),
    ),
    (_ONLY_LAST, lambda *args: _fit(*args)[-1]),
    (_ONLY_LAST, _trained_cost),
    (
        "one cost too many: the cost before each of the epochs steps, not also the one after "
        "the last",
        lambda *args: np.append(_fit(*args), _trained_cost(*args)),
    ),
    (
        "one cost short: for epoch in range(epochs) runs epochs steps, one cost before each",
        lambda *args: _fit(*args)[:-1],
    ),
    *((message, _wrong_loop(step=step)) for message, step in _STEP_MISTAKES),
    *((message, _wrong_loop(cost=wrong)) for message, wrong in _COST_MISTAKES),
)

#: ``train_logistic(X, y, w, b, alpha, epochs)`` -> the costs of ``epochs`` full-batch
#: gradient-descent steps from ``(w, b)``, J before each step (Keras's ``fit`` history):
#: ``(epochs,)``; the arrays given are not changed.
check_train_logistic = FunctionChecker(
    "train_logistic", _loop_inputs, _fit, tol=1e-6, seed=1, mistakes=_LOOP_MISTAKES
)


def _coffee():
    """Lab 1's training set: the coffee roasts, standardized (the lab's ``X, Y``)."""
    scaled = coffee_roasting().standardized()
    return scaled.X_train, scaled.y_train


#: ``model``: the lecture's three steps in Keras for the coffee roasts (320 examples, 2
#: features), a problem: one yes/no answer per roast. Given: a hidden Dense layer of 3 sigmoid
#: units, SGD at learning rate 1.0, ``fit`` for 5 full-batch epochs; the student decides the
#: output (1 sigmoid unit) and the loss (binary cross-entropy), in either form
#: (``from_logits=None``: a linear output with ``from_logits=True`` passes too).
check_model = KerasModelChecker(
    "model",
    ModelSpec.dense(
        2,
        [(3, "sigmoid"), (1, "sigmoid")],
        task="binary",
        loss="BinaryCrossentropy",
        from_logits=None,
        optimizer="SGD",
        learning_rate=1.0,
        epochs=5,
        batch_size=train_size(COFFEE_ROASTS),
        examples=train_size(COFFEE_ROASTS),
    ),
    # cost on the training set over 20 seeds (keras.utils.set_random_seed(0..19)), the same
    # in the sigmoid and the logits form: untrained 0.477-0.957 (median 0.625), fitted as
    # asked 0.464-0.510: 5 full-batch steps mostly learn the bias, so 3 of 20 untrained pass
    Training(_coffee, below=0.53),
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab1-gradient-step": {"gradient_step": check_gradient_step},
    "lab1-training-loop": {"train_logistic": check_train_logistic},
    "lab1-three-steps": {"model": check_model},
}
