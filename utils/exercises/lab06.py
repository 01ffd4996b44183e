"""Lab 6 (Adam): the exercises' checkers.

Expected steps come from :func:`utils.optimizers.paper_adam_step`, Adam as the paper writes it
(epsilon added to sqrt(v_hat), the paper's default epsilon 1e-8). The Keras exercise asks for
the lecture's ``compile`` with ``keras.optimizers.Adam(learning_rate=1e-3)`` and a ``fit``.
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
        (
            (np.array(1.0), np.array(0.5), np.array(0.0), np.array(0.0), 1, 0.001) + default,
            "t = 1",
        ),
        ((np.ones(3), g3, zeros, zeros, 1, 0.001) + default, "three parameters, t = 1"),
        ((np.ones(3), g3, m3, v3, 10, 0.01) + default, "step t = 10 with running averages m, v"),
        ((np.ones(3), zeros, zeros, zeros, 1, 0.001) + default, "g = 0, m = v = 0: nothing moves"),
        (
            (np.ones(3), np.full(3, 1e-9), zeros, zeros, 1, 0.001) + default,
            "g = 1e-9: epsilon is added to sqrt(v_hat), after the bias correction",
        ),
        ((W, G, M, V, 1000, 0.1, 0.5, 0.9, 1e-8), "a (2, 3) matrix, t = 1000, betas 0.5 and 0.9"),
    ]


#: ``my_adam_step(w, g, m, v, t, alpha, beta_1, beta_2, epsilon)`` -> the new ``(w, m, v)``
#: after one step of the paper's Adam. The cases include a zero gradient (epsilon avoids
#: 0/0), a gradient so small that where epsilon goes decides the step, and other betas.
check_my_adam_step = FunctionChecker("my_adam_step", _adam_inputs, paper_adam_step, seed=6)


def _digits():
    """Lab 6's training set: the digits (the lab's ``X, y``)."""
    digits = data_digits()
    return digits.X_train, digits.y_train


#: ``model``: the digits network (64 pixels -> 25 and 15 ReLU units -> 10 logits), compiled
#: with ``SparseCategoricalCrossentropy(from_logits=True)`` and the lecture's
#: ``keras.optimizers.Adam(learning_rate=1e-3)``, then fitted for 2 epochs of mini-batches of 32.
check_model = KerasModelChecker(
    "model",
    digits_spec("linear", epochs=2, batch_size=32, examples=train_size(DIGITS_EXAMPLES)),
    # cost on the training set over 20 seeds: untrained 2.285-2.543, fitted as asked 1.627-2.009
    Training(_digits, below=2.15),
)

# The lab's exercises: label -> answer name -> checker.
EXERCISES = {
    "lab6-adam-step": {"my_adam_step": check_my_adam_step},
    "lab6-adam-model": {"model": check_model},
}
