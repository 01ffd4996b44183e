"""Minimising J: gradient descent and Adam by hand, each matching its Keras optimizer.

An optimizer updates a list of parameter arrays in place from their gradients.
Taught in Lab 1 (gradient descent, w := w - alpha dJ/dw) and Lab 6 (Adam).
"""

import numpy as np

from .validation import as_float_array, positive_float


def _check_pairs(params, grads):
    if len(params) != len(grads):
        raise ValueError(
            f"grads must have one array per parameter, got {len(grads)} for {len(params)}"
        )
    for i, (p, g) in enumerate(zip(params, grads, strict=True)):
        g = as_float_array(f"grads[{i}]", g)
        if g.shape != p.shape:
            raise ValueError(f"grads[{i}] must have shape {p.shape}, got {g.shape}")


class GradientDescent:
    """w := w - alpha dJ/dw for every parameter; the twin of ``keras.optimizers.SGD``."""

    def __init__(self, learning_rate=0.01):
        self.learning_rate = positive_float("learning_rate", learning_rate)

    def step(self, params, grads):
        """Update each array of ``params`` in place by its gradient in ``grads`` (same shapes)."""
        _check_pairs(params, grads)
        for p, g in zip(params, grads, strict=True):
            p -= self.learning_rate * g

    def to_keras(self):
        """The Keras twin: ``keras.optimizers.SGD(learning_rate)``."""
        import keras

        return keras.optimizers.SGD(learning_rate=self.learning_rate)


class Adam:
    """Adam as Keras 3 implements it (``keras.optimizers.Adam``), step t = 1, 2, ...

    m := m + (g - m)(1 - beta_1);  v := v + (g^2 - v)(1 - beta_2)
    alpha_t = lr sqrt(1 - beta_2^t) / (1 - beta_1^t);  w := w - alpha_t m / (sqrt(v) + epsilon)

    Keras adds epsilon to sqrt(v), not to the bias-corrected sqrt(v_hat) of the paper, and its
    TensorFlow backend rounds beta_1 and beta_2 to float32 in the bias corrections; both are
    reproduced so the by-hand steps equal Keras's to round-off in float64.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.learning_rate = positive_float("learning_rate", learning_rate)
        for name, beta in (("beta_1", beta_1), ("beta_2", beta_2)):
            if isinstance(beta, bool) or not isinstance(beta, (int, float)) or not 0 <= beta < 1:
                raise ValueError(f"{name} must be a number in [0, 1), got {beta!r}")
        self.beta_1, self.beta_2 = float(beta_1), float(beta_2)
        self.epsilon = positive_float("epsilon", epsilon)
        self.iterations = 0
        self.m = self.v = None

    def step_size(self):
        """alpha_t for the next step t = iterations + 1 (bias corrections with float32 betas)."""
        t = self.iterations + 1
        b1, b2 = float(np.float32(self.beta_1)), float(np.float32(self.beta_2))
        return self.learning_rate * np.sqrt(1 - b2**t) / (1 - b1**t)

    def step(self, params, grads):
        """Update each array of ``params`` in place by its gradient in ``grads`` (same shapes)."""
        _check_pairs(params, grads)
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        alpha = self.step_size()
        for p, g, m, v in zip(params, grads, self.m, self.v, strict=True):
            m += (g - m) * (1 - self.beta_1)
            v += (g * g - v) * (1 - self.beta_2)
            p -= alpha * m / (np.sqrt(v) + self.epsilon)
        self.iterations += 1

    def to_keras(self):
        """The Keras twin: ``keras.optimizers.Adam`` with the same settings."""
        import keras

        return keras.optimizers.Adam(
            learning_rate=self.learning_rate,
            beta_1=self.beta_1,
            beta_2=self.beta_2,
            epsilon=self.epsilon,
        )
