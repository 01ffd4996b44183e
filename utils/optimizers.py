"""Minimising J: gradient descent and every Adam, by hand.

An optimizer updates a list of parameter arrays in place from their gradients:
``step(params, grads)`` (every array by ``update_step``, then the step is counted).
:class:`GradientDescent` and :class:`Adam` match Keras's ``SGD`` and ``Adam`` (``to_keras()``);
:class:`PaperAdam` and :func:`paper_adam_step` are Adam as the paper (Kingma and Ba, 2015,
Algorithm 1) and most textbooks write it:

    m := beta_1 m + (1 - beta_1) g;     v := beta_2 v + (1 - beta_2) g^2
    m_hat = m / (1 - beta_1^t);         v_hat = v / (1 - beta_2^t)
    w := w - alpha m_hat / (sqrt(v_hat) + epsilon)

Keras computes the paper's own faster form (the remark just before the paper's Section 2.1):
alpha_t = alpha sqrt(1 - beta_2^t) / (1 - beta_1^t); w := w - alpha_t m / (sqrt(v) + epsilon_hat),
with Keras's epsilon as that form's epsilon_hat. It equals Algorithm 1 with
epsilon = epsilon_hat / sqrt(1 - beta_2^t) (31.6 epsilon_hat at t = 1, falling to epsilon_hat):
the two differ visibly only where |g| is not much larger than that. Defaults: epsilon = 1e-8
for the paper's Algorithm 1 (:class:`PaperAdam`, :func:`paper_adam_step`, as the paper
recommends), epsilon_hat = 1e-7 for Keras's form (:class:`Adam`, as ``keras.optimizers.Adam``).
Taught in Lab 1 (gradient descent, w := w - alpha dJ/dw) and Lab 6 (Adam; the lab's exercise
is the paper's step).
"""

import numpy as np

from .validation import as_float_array, as_int, as_number


def _validate_step(params, grads):
    """The parameters (float arrays, updated in place) and one finite gradient per array."""
    if not isinstance(params, (list, tuple)) or not params:
        raise TypeError(f"params must be a non-empty list of arrays, got {type(params).__name__}")
    for i, p in enumerate(params):
        if not isinstance(p, np.ndarray) or p.dtype.kind != "f" or not p.flags.writeable:
            raise TypeError(
                f"params[{i}] must be a writeable float numpy array (it is updated in place), "
                f"got {type(p).__name__} {getattr(p, 'dtype', '')}".rstrip()
            )
    if not isinstance(grads, (list, tuple)) or len(grads) != len(params):
        n = len(grads) if isinstance(grads, (list, tuple)) else type(grads).__name__
        raise ValueError(
            f"grads must be a list of one array per parameter ({len(params)}), got {n}"
        )
    checked = []
    for i, (p, g) in enumerate(zip(params, grads, strict=True)):
        g = as_float_array(f"grads[{i}]", g)
        if g.shape != p.shape:
            raise ValueError(f"grads[{i}] must have shape {p.shape}, got {g.shape}")
        checked.append(g)
    return list(params), checked


class Optimizer:
    """Base of the by-hand optimizers, shaped as Keras's: ``step`` checks its arguments, then
    ``apply`` takes the step: ``update_step`` for each parameter, then ``iterations += 1``.

    ``apply`` and ``update_step`` trust their inputs (the package's internal API, listed in
    the docstring of ``utils``): the training loop of :class:`utils.training.Model` checks
    its data once per ``fit``, then applies the gradients it computed itself. A subclass
    implements ``update_step``.
    """

    def __init__(self):
        self.iterations = 0

    def step(self, params, grads):
        """Update each array of ``params`` in place by its gradient in ``grads`` (same shapes)."""
        self.apply(*_validate_step(params, grads))

    def apply(self, params, grads):
        """One step on checked arrays (Keras's ``apply``): every parameter by
        :meth:`update_step`, then the step is counted."""
        for index, (p, g) in enumerate(zip(params, grads, strict=True)):
            self.update_step(g, p, index)
        self.iterations += 1

    def update_step(self, gradient, variable, index):
        """Keras's ``update_step``: update the array ``variable`` (parameter number ``index``
        of the step, for the optimizer's state of it) in place from ``gradient``, as step
        ``iterations + 1`` does (checked arrays of one shape)."""
        raise NotImplementedError


class GradientDescent(Optimizer):
    """w := w - alpha dJ/dw for every parameter; the twin of ``keras.optimizers.SGD``."""

    def __init__(self, learning_rate=0.01):
        super().__init__()
        self.learning_rate = as_number("learning_rate", learning_rate, above=0)

    def update_step(self, gradient, variable, index):
        """w := w - alpha dJ/dw."""
        variable -= self.learning_rate * gradient

    def to_keras(self):
        """The Keras twin: ``keras.optimizers.SGD(learning_rate)``."""
        import keras  # keeps TensorFlow out of `import utils`

        return keras.optimizers.SGD(learning_rate=self.learning_rate)


def _adam_settings(learning_rate, beta_1, beta_2, epsilon):
    """The one check of Adam's settings: alpha > 0, betas in [0, 1), epsilon > 0."""
    return (
        as_number("learning_rate", learning_rate, above=0),
        as_number("beta_1", beta_1, at_least=0, below=1),
        as_number("beta_2", beta_2, at_least=0, below=1),
        as_number("epsilon", epsilon, above=0),
    )


class _AdamState(Optimizer):
    """Settings, step counter and moments m, v shared by both forms of Adam."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__()
        self.learning_rate, self.beta_1, self.beta_2, self.epsilon = _adam_settings(
            learning_rate, beta_1, beta_2, epsilon
        )
        self.m, self.v = [], []

    def _moments(self, index, variable):
        """Parameter ``index``'s m and v, started as zeros at its first update (the parameter
        must keep its shape)."""
        if index == len(self.m):
            self.m.append(np.zeros_like(variable))
            self.v.append(np.zeros_like(variable))
        elif self.m[index].shape != variable.shape:
            raise ValueError(
                "params must have the shapes of the first step's; use a new optimizer "
                "for another model"
            )
        return self.m[index], self.v[index]


class Adam(_AdamState):
    """Adam as Keras 3 implements it (``keras.optimizers.Adam``), step t = 1, 2, ...

    m := m + (g - m)(1 - beta_1);  v := v + (g^2 - v)(1 - beta_2)
    alpha_t = lr sqrt(1 - beta_2^t) / (1 - beta_1^t);  w := w - alpha_t m / (sqrt(v) + epsilon)

    Keras adds epsilon to sqrt(v), not to the bias-corrected sqrt(v_hat) of the paper, and its
    TensorFlow backend rounds beta_1 and beta_2 to float32 in the bias corrections; both are
    reproduced so the by-hand steps equal Keras's to round-off in float64.
    """

    def step_size(self):
        """alpha_t for the next step t = iterations + 1 (bias corrections with float32 betas)."""
        t = self.iterations + 1
        b1, b2 = float(np.float32(self.beta_1)), float(np.float32(self.beta_2))
        return self.learning_rate * np.sqrt(1 - b2**t) / (1 - b1**t)

    def update_step(self, gradient, variable, index):
        """Keras's Adam step of one parameter (the class docstring's formulas)."""
        m, v = self._moments(index, variable)
        m += (gradient - m) * (1 - self.beta_1)
        v += (gradient * gradient - v) * (1 - self.beta_2)
        variable -= self.step_size() * m / (np.sqrt(v) + self.epsilon)

    def to_keras(self):
        """The Keras twin: ``keras.optimizers.Adam`` with the same settings."""
        import keras  # keeps TensorFlow out of `import utils`

        return keras.optimizers.Adam(
            learning_rate=self.learning_rate,
            beta_1=self.beta_1,
            beta_2=self.beta_2,
            epsilon=self.epsilon,
        )


def _paper_moments(g, m, v, t, beta_1, beta_2):
    """Step ``t`` of the paper's moment estimates: the new ``m``, ``v`` and their
    bias-corrected ``m_hat``, ``v_hat`` (arrays of one shape)."""
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g * g
    return m, v, m / (1 - beta_1**t), v / (1 - beta_2**t)


def _paper_adam_step(w, g, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    """The kernel of :func:`paper_adam_step` (validated arrays and settings)."""
    m, v, m_hat, v_hat = _paper_moments(g, m, v, t, beta_1, beta_2)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


def paper_adam_step(w, g, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
    """One step of the paper's Adam (Algorithm 1, its default epsilon 1e-8) on arrays of one
    shape (``w``, ``g``, ``m``, ``v``).

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
    t = as_int("t", t, at_least=1)
    return _paper_adam_step(w, g, m, v, t, *_adam_settings(learning_rate, beta_1, beta_2, epsilon))


class PaperAdam(_AdamState):
    """The paper's Adam as an optimizer with ``step(params, grads)``, like :class:`Adam`.

    The paper's defaults (epsilon 1e-8; Keras's form defaults to 1e-7); where epsilon goes
    differs from :class:`Adam`, and the betas are used exactly, not rounded to float32. It has
    no Keras twin: Keras implements the other form.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
        super().__init__(learning_rate, beta_1, beta_2, epsilon)

    def update_step(self, gradient, variable, index):
        """The paper's step of one parameter (:func:`paper_adam_step`)."""
        m, v = self._moments(index, variable)
        variable[...], m[...], v[...] = _paper_adam_step(
            variable,
            gradient,
            m,
            v,
            self.iterations + 1,
            self.learning_rate,
            self.beta_1,
            self.beta_2,
            self.epsilon,
        )


def adam_directions(grads, beta_1=0.9, beta_2=0.999):
    """Adam's m_hat / sqrt(v_hat) after each step of a gradient sequence (Lab 6).

    ``grads: (steps, n)``, the gradient of n parameters at steps t = 1, 2, ...; returns
    ``(steps, n)``. Each entry lies in [-1, 1] (times about 1.05 for the bias corrections): near
    +-1 while a parameter's gradient keeps its sign, near 0 while it flips back and forth; 0
    while a parameter has had only zero gradients. Adam's step is about alpha times this.
    """
    grads = as_float_array("grads", grads, ndim=2)
    beta_1 = as_number("beta_1", beta_1, at_least=0, below=1)
    beta_2 = as_number("beta_2", beta_2, at_least=0, below=1)
    m, v = np.zeros(grads.shape[1]), np.zeros(grads.shape[1])
    out = np.empty_like(grads, dtype=float)
    for t, g in enumerate(grads, start=1):
        m, v, m_hat, v_hat = _paper_moments(g, m, v, t, beta_1, beta_2)
        root = np.sqrt(v_hat)
        out[t - 1] = np.where(root > 0, m_hat / np.where(root > 0, root, 1.0), 0.0)
    return out
