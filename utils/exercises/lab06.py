"""Lab 6 (Adam): the exercises' checkers.

Expected steps come from :func:`utils.optimizers.paper_adam_step`, Adam as the paper writes it
(epsilon added to sqrt(v_hat), the paper's default epsilon 1e-8); the student derives the bias
correction. The Keras exercise states the task (the digits, integer labels, the optimizer that
adapts each parameter's step) and asks for the output layer, the loss, the optimizer and a
``fit``.
"""

import numpy as np

from ..data import DIGITS_EXAMPLES, train_size
from ..data import digits as data_digits
from ..optimizers import paper_adam_step
from .grading import FunctionChecker
from .keras_model import KerasModelChecker, Training, digits_spec


def _adam_inputs(rng):
    g3 = np.array([0.5, -2.0, 0.25])
    m3, v3 = np.array([0.1, -0.3, 0.0]), np.array([0.02, 0.5, 0.01])
    W, G = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    M, V = 0.1 * rng.normal(size=(2, 3)), rng.uniform(0.1, 1.0, size=(2, 3))
    zeros = np.zeros(3)
    default = (0.9, 0.999, 1e-8)  # beta_1, beta_2, epsilon
    return [
        # no bias correction, a correction that multiplies, v of g (not g^2), swapped betas
        (
            (np.array(1.0), np.array(0.5), np.array(0.0), np.array(0.0), 1, 0.001) + default,
            "t = 1",
        ),
        # the old m and v returned, or the corrected m_hat and v_hat
        ((np.ones(3), g3, zeros, zeros, 1, 0.001) + default, "three parameters, t = 1"),
        # the same g at steps 1-3 (m, v: what steps 1-2 left): m_hat = g exactly, which a
        # correction by 1 - beta (the t = 1 factor) or by (1 - beta)^t misses
        (
            (np.ones(3), g3, (1 - 0.9**2) * g3, (1 - 0.999**2) * g3**2, 3, 0.001) + default,
            "the same g at steps 1, 2, 3: m_hat = g, v_hat = g^2",
        ),
        # the m and v given ignored (m = (1 - beta_1) g, as if from 0), beta^(t+1) for beta^t
        ((np.ones(3), g3, m3, v3, 10, 0.01) + default, "step t = 10 with running averages m, v"),
        # epsilon left out: m_hat / sqrt(v_hat) is 0 / 0, nan
        ((np.ones(3), zeros, zeros, zeros, 1, 0.001) + default, "g = 0, m = v = 0: nothing moves"),
        # Keras's form (epsilon added to sqrt(v), before the correction), sqrt(v_hat + eps)
        (
            (np.ones(3), np.full(3, 1e-9), zeros, zeros, 1, 0.001) + default,
            "g = 1e-9: epsilon is added to sqrt(v_hat), after the bias correction",
        ),
        # the default betas used whatever is given
        ((W, G, M, V, 1000, 0.1, 0.5, 0.9, 1e-8), "a (2, 3) matrix, t = 1000, betas 0.5 and 0.9"),
    ]


def _moments(g, m, v, beta_1, beta_2):
    """The new running averages m and v of one Adam step."""
    return beta_1 * m + (1 - beta_1) * g, beta_2 * v + (1 - beta_2) * g**2


def _step(w, m_hat, v_hat, alpha, epsilon):
    return w - alpha * m_hat / (np.sqrt(v_hat) + epsilon)


def _corrected_by(factor):
    """The step with m and v divided by ``factor(beta, t)`` instead of 1 - beta^t."""

    def wrong(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):
        m, v = _moments(g, m, v, beta_1, beta_2)
        return _step(w, m / factor(beta_1, t), v / factor(beta_2, t), alpha, epsilon), m, v

    return wrong


def _epsilon_inside(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):
    m, v = _moments(g, m, v, beta_1, beta_2)
    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
    return w - alpha * m_hat / np.sqrt(v_hat + epsilon), m, v


def _keras_form(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):
    m, v = _moments(g, m, v, beta_1, beta_2)
    rate = alpha * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    return _step(w, rate * m, v, 1.0, epsilon), m, v


def _plain_g(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):
    m, v = beta_1 * m + (1 - beta_1) * g, beta_2 * v + (1 - beta_2) * g
    return _step(w, m / (1 - beta_1**t), v / (1 - beta_2**t), alpha, epsilon), m, v


def _corrected_returned(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):
    m, v = _moments(g, m, v, beta_1, beta_2)
    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
    return _step(w, m_hat, v_hat, alpha, epsilon), m_hat, v_hat


def _betas_swapped(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):
    m, v = beta_1 * g + (1 - beta_1) * m, beta_2 * g**2 + (1 - beta_2) * v
    return _step(w, m / (1 - beta_1**t), v / (1 - beta_2**t), alpha, epsilon), m, v


def _m_corrected_only(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):
    m, v = _moments(g, m, v, beta_1, beta_2)
    return _step(w, m / (1 - beta_1**t), v, alpha, epsilon), m, v


# The typical wrong steps: (what is wrong and what to do, what that answer returns).
_ADAM_MISTAKES = (
    (
        "the bias correction is missing: m and v start at 0, so after t steps of the same g, "
        "m = (1 - beta_1^t) g; divide by that factor, m_hat = m / (1 - beta_1^t), "
        "v_hat = v / (1 - beta_2^t)",
        _corrected_by(lambda beta, t: 1.0),
    ),
    (
        "1 - beta is the correction of step 1 only: after t steps of the same g, "
        "m = (1 - beta_1^t) g, so m_hat = m / (1 - beta_1^t), v_hat = v / (1 - beta_2^t)",
        _corrected_by(lambda beta, t: 1 - beta),
    ),
    (
        "(1 - beta)^t is not the sum of the weights: after t steps of the same g, "
        "m = (1 - beta_1)(1 + beta_1 + ... + beta_1^(t-1)) g = (1 - beta_1^t) g, so "
        "m_hat = m / (1 - beta_1^t)",
        _corrected_by(lambda beta, t: (1 - beta) ** t),
    ),
    (
        "the correction multiplies: m is too small by the factor 1 - beta_1^t, so divide by "
        "it, m_hat = m / (1 - beta_1^t), v_hat = v / (1 - beta_2^t)",
        _corrected_by(lambda beta, t: 1 / (1 - beta**t)),
    ),
    (
        "v is biased towards 0 as m is: correct it too, v_hat = v / (1 - beta_2^t)",
        _m_corrected_only,
    ),
    (
        "epsilon is missing: where g = 0, m_hat / sqrt(v_hat) is 0 / 0 (nan); add epsilon to "
        "sqrt(v_hat)",
        lambda *args: _corrected_by(lambda beta, t: 1 - beta**t)(*args[:8], 0.0),
    ),
    (
        "m and v carry the earlier steps' gradients: update the m and v given, "
        "m = beta_1 m + (1 - beta_1) g (not from 0 at every step)",
        lambda w, g, m, v, *rest: paper_adam_step(w, g, 0 * m, 0 * v, *rest),
    ),
    (
        "epsilon goes outside the square root: sqrt(v_hat) + epsilon",
        _epsilon_inside,
    ),
    (
        "that is Keras's form (epsilon added to sqrt(v), the correction in the rate): the "
        "paper adds epsilon to sqrt(v_hat), after the bias correction",
        _keras_form,
    ),
    ("v averages the squared gradient: v = beta_2 v + (1 - beta_2) g^2", _plain_g),
    (
        "use the beta_1, beta_2 and epsilon given, not the defaults",
        lambda *args: paper_adam_step(*args[:6]),
    ),
    (
        "return the new m and v (the running averages after this step), not the old ones",
        lambda w, g, m, v, *rest: (paper_adam_step(w, g, m, v, *rest)[0], m, v),
    ),
    (
        "return m and v, not the bias-corrected m_hat and v_hat: the next step corrects again",
        _corrected_returned,
    ),
    (
        "beta weighs the old average: m = beta_1 m + (1 - beta_1) g, "
        "v = beta_2 v + (1 - beta_2) g^2",
        _betas_swapped,
    ),
    (
        "t is already this step's number (1 on the first step): correct by 1 - beta^t",
        lambda w, g, m, v, t, *rest: paper_adam_step(w, g, m, v, t + 1, *rest),
    ),
)

#: ``my_adam_step(w, g, m, v, t, alpha, beta_1, beta_2, epsilon)`` -> the new ``(w, m, v)``
#: after one step of the paper's Adam. The cases include a zero gradient (epsilon avoids
#: 0/0), a gradient so small that where epsilon goes decides the step, and other betas.
check_my_adam_step = FunctionChecker(
    "my_adam_step", _adam_inputs, paper_adam_step, seed=6, mistakes=_ADAM_MISTAKES
)


def _digits():
    """Lab 6's training set: the digits (the lab's ``X, y``)."""
    digits = data_digits()
    return digits.X_train, digits.y_train


#: ``model``: the digits network (64 pixels -> 25 and 15 ReLU units -> 10 outputs, integer labels
#: 0-9), the output layer, the loss and the optimizer the student's decisions (a softmax output
#: with ``SparseCategoricalCrossentropy()`` or the stable form; Adam, the optimizer this lab
#: teaches, at the lecture's rate 1e-3), then fitted for 2 epochs of mini-batches of 32.
check_model = KerasModelChecker(
    "model",
    digits_spec(epochs=2, batch_size=32, examples=train_size(DIGITS_EXAMPLES)),
    # cost on the training set over 20 seeds: untrained 2.285-2.543, fitted as asked 1.627-2.009
    Training(_digits, below=2.15),
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab6-adam-step": {"my_adam_step": check_my_adam_step},
    "lab6-adam-model": {"model": check_model},
}
