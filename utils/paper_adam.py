"""Adam as the paper (Kingma and Ba, 2015, Algorithm 1) and most textbooks write it.

    m := beta_1 m + (1 - beta_1) g;     v := beta_2 v + (1 - beta_2) g^2
    m_hat = m / (1 - beta_1^t);         v_hat = v / (1 - beta_2^t)
    w := w - alpha m_hat / (sqrt(v_hat) + epsilon)

Keras (``utils.optimizers.Adam``, ``keras.optimizers.Adam``) adds epsilon to sqrt(v) instead of
sqrt(v_hat), which equals this form with epsilon_paper = epsilon / sqrt(1 - beta_2^t) (31.6
epsilon at t = 1, falling to epsilon): the two differ visibly only where |g| is not much larger
than that. Taught in Lab 6 (Adam); the
lab's exercise is :func:`adam_step`.
"""

import numpy as np

from .optimizers import _check_pairs
from .validation import as_float_array, positive_float, positive_int


def _beta(name, beta):
    if isinstance(beta, bool) or not isinstance(beta, (int, float)) or not 0 <= beta < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {beta!r}")
    return float(beta)


def adam_step(w, g, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """One step of the paper's Adam on arrays of one shape (``w``, ``g``, ``m``, ``v``).

    ``t`` counts steps from 1 (``m``, ``v`` start as zeros). Returns new arrays ``(w, m, v)``;
    the inputs are not changed.
    """
    w = as_float_array("w", w)
    arrays = []
    for name, x in (("g", g), ("m", m), ("v", v)):
        x = as_float_array(name, x)
        if x.shape != w.shape:
            raise ValueError(f"{name} must have the shape of w {w.shape}, got {x.shape}")
        arrays.append(x)
    g, m, v = arrays
    if np.any(v < 0):
        raise ValueError("v must be >= 0 (a running mean of squared gradients)")
    t = positive_int("t", t)
    learning_rate = positive_float("learning_rate", learning_rate)
    beta_1, beta_2 = _beta("beta_1", beta_1), _beta("beta_2", beta_2)
    epsilon = positive_float("epsilon", epsilon)
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g * g
    m_hat = m / (1 - beta_1**t)
    v_hat = v / (1 - beta_2**t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


class PaperAdam:
    """The paper's Adam as an optimizer with ``step(params, grads)``, like ``utils.optimizers``.

    Same settings and defaults as ``keras.optimizers.Adam`` (epsilon 1e-7); only where epsilon
    goes differs (and the betas are used exactly, not rounded to float32). It has no Keras twin:
    Keras implements the other form.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.learning_rate = positive_float("learning_rate", learning_rate)
        self.beta_1, self.beta_2 = _beta("beta_1", beta_1), _beta("beta_2", beta_2)
        self.epsilon = positive_float("epsilon", epsilon)
        self.iterations = 0
        self.m = self.v = None

    def step(self, params, grads):
        """Update each array of ``params`` in place by its gradient in ``grads`` (same shapes)."""
        _check_pairs(params, grads)
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        t = self.iterations + 1
        for i, (p, g) in enumerate(zip(params, grads, strict=True)):
            p[...], self.m[i], self.v[i] = adam_step(
                p,
                g,
                self.m[i],
                self.v[i],
                t,
                self.learning_rate,
                self.beta_1,
                self.beta_2,
                self.epsilon,
            )
        self.iterations = t
