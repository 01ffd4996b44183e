"""Numerical derivatives and the gradient check: is back propagation right?

A derivative can be estimated by nudging the input by epsilon and watching the output:
forward difference (f(x + eps) - f(x)) / eps, error O(eps); central difference
(f(x + eps) - f(x - eps)) / (2 eps), error O(eps^2). Too small an epsilon loses to round-off
(Lab 4): f(x + eps) - f(x) cancels most digits. A gradient check compares back propagation's
gradients with central differences; a relative error around 1e-7 or below means they agree.
It needs two forward passes PER PARAMETER, while back propagation needs one forward and one
backward pass for all parameters at once. Taught in Lab 8 (back propagation).
"""

from dataclasses import dataclass

import numpy as np

from .agreement import max_abs_difference
from .losses import LOSSES, loss_keras
from .training import Model, model_inputs
from .validation import as_array_list, as_callable, as_float_array, as_number, positive_int

METHODS = ("forward", "central")


def _value(name, v):
    """The number a callback returned (a float, numpy scalar or one-entry array)."""
    try:
        return as_number(name, np.asarray(v).reshape(()) if np.size(v) == 1 else v)
    except (TypeError, ValueError) as err:
        raise type(err)(f"{name} must return one finite number: {err}") from err


def _difference(f, x, eps):
    f = as_callable("f", f, "a function of one number")
    return f, as_number("x", x), as_number("eps", eps, above=0)


def _forward(f, x, eps):
    return (_value("f", f(x + eps)) - _value("f", f(x))) / eps


def _central(f, x, eps):
    return (_value("f", f(x + eps)) - _value("f", f(x - eps))) / (2 * eps)


def forward_difference(f, x, eps):
    """(f(x + eps) - f(x)) / eps for a function ``f`` of one number; error O(eps)."""
    return _forward(*_difference(f, x, eps))


def central_difference(f, x, eps):
    """(f(x + eps) - f(x - eps)) / (2 eps) for a function ``f`` of one number; error O(eps^2)."""
    return _central(*_difference(f, x, eps))


def epsilon_sweep(f, dfdx, x, epsilons):
    """|numerical - exact| derivative of ``f`` at ``x`` for each epsilon, both methods.

    ``dfdx``: the exact derivative f'(x), a number; ``epsilons: (k,)`` positive numbers.
    Returns ``{"forward": (k,), "central": (k,)}`` arrays of absolute errors.
    """
    f, x, _ = _difference(f, x, 1.0)
    dfdx = as_number("dfdx", dfdx)
    epsilons = as_float_array("epsilons", epsilons, ndim=1)
    if np.any(epsilons <= 0):
        raise ValueError("epsilons must all be > 0")
    rules = {"forward": _forward, "central": _central}
    return {m: np.array([abs(rules[m](f, x, float(e)) - dfdx) for e in epsilons]) for m in METHODS}


def numerical_gradients(cost, params, eps=1e-6):
    """dJ/d(every entry of every parameter) by central differences.

    ``cost``: a function of a list of arrays (shaped like ``params``) returning J;
    ``params``: a list of arrays, not changed. Returns ``(grads, n_evaluations)``: a list of
    float64 arrays shaped like ``params`` and the number of times ``cost`` ran (2 per entry).
    """
    cost = as_callable("cost", cost, "a function of a list of arrays")
    params = [p.astype(np.float64) for p in as_array_list("params", params)]
    eps = as_number("eps", eps, above=0)
    grads, n = [np.zeros_like(p) for p in params], 0
    for p, g in zip(params, grads, strict=True):
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + eps
            plus = _value("cost", cost(params))
            p[idx] = old - eps
            minus = _value("cost", cost(params))
            p[idx] = old
            g[idx] = (plus - minus) / (2 * eps)
            n += 2
    return grads, n


def _relative_error(a, b):
    a = np.concatenate([np.ravel(x) for x in a])
    b = np.concatenate([np.ravel(x) for x in b])
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / denom) if denom > 0 else 0.0


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||) over two lists of arrays (Euclidean norm of all entries).

    0 when both are zero. Below about 1e-7: the gradients agree; above 1e-3: a bug.
    """
    a, b = as_array_list("a", a), as_array_list("b", b)
    if len(a) != len(b):
        raise ValueError(f"a and b must be lists of the same length, got {len(a)} and {len(b)}")
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x.shape != y.shape:
            raise ValueError(
                f"a[{i}] and b[{i}] must have the same shape, got {x.shape} and {y.shape}"
            )
    return _relative_error(a, b)


@dataclass(frozen=True)
class GradientCheck:
    """Result of a gradient check: back propagation against central differences.

    ``passes_numerical``: forward passes the central differences needed (2 per parameter);
    ``passes_backprop``: passes back propagation needed (1 forward + 1 backward = 2).
    """

    relative_error: float
    max_abs_difference: float
    n_params: int
    passes_numerical: int
    passes_backprop: int


def gradient_check(model, X, y, loss, eps=1e-6, from_logits=False):
    """Gradient check of a by-hand model's :meth:`~utils.training.Model.cost_and_gradients`
    (a ``Network``, ``ConvNetwork`` or ``LogisticRegression``) on ``(X, y)``.

    ``X: (m, n)``; ``y``: targets as for ``loss``. Returns a :class:`GradientCheck`; the
    model's weights are left as they were.
    """
    if not isinstance(model, Model):
        raise TypeError(
            f"model must be a by-hand model (utils.training.Model), got {type(model).__name__}"
        )
    eps = as_number("eps", eps, above=0)
    cost = model.cost_function(X, y, loss, from_logits)  # checks X, y and the loss once
    weights = model.get_weights()
    _, grads = cost(weights, gradients=True)
    numerical, n = numerical_gradients(cost, weights, eps)
    return GradientCheck(
        _relative_error(grads, numerical),
        max_abs_difference(grads, numerical),
        model.count_params(),
        n,
        2,
    )


def gradient_check_keras(model, X, y, loss, eps=1e-6, from_logits=False):
    """Keras twin of :func:`gradient_check`, by ``tf.test.compute_gradient``.

    TensorFlow's own gradient checker perturbs each weight of the Keras ``model`` by
    +-``eps`` (central differences) and compares with ``tf.GradientTape``'s gradients.
    Returns a :class:`GradientCheck`.
    """
    import tensorflow as tf  # keeps TensorFlow out of `import utils`

    X = model_inputs(model, X)
    loss_fn = loss_keras(loss, from_logits)  # checks loss and from_logits
    eps = as_number("eps", eps, above=0)
    y_t = tf.convert_to_tensor(LOSSES[loss].targets(y, tuple(model(X).shape)))
    weights = [tf.constant(w) for w in model.get_weights()]

    def cost(*ws):
        out, _ = model.stateless_call(list(ws), [], X, training=True)
        return loss_fn(y_t, out)

    theoretical, numerical = tf.test.compute_gradient(cost, weights, delta=eps)
    n_params = sum(int(np.prod(w.shape)) for w in weights)
    return GradientCheck(
        _relative_error(list(theoretical), list(numerical)),
        max_abs_difference(list(theoretical), list(numerical)),
        n_params,
        2 * n_params,
        2,
    )


def pass_counts(n_params):
    """Forward/backward passes to get every dJ/dw for a network of ``n_params`` parameters.

    Returns ``{"forward differences": n + 1, "central differences": 2 n,
    "back propagation": 2}`` (back propagation: one forward and one backward pass).
    """
    n = positive_int("n_params", n_params)
    return {"forward differences": n + 1, "central differences": 2 * n, "back propagation": 2}
