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
from .validation import as_float_array, positive_float

METHODS = ("forward", "central")


def _scalar(name, x):
    return float(as_float_array(name, x, ndim=0))


def _check_f(f):
    if not callable(f):
        raise TypeError(f"f must be a function of one number, got {type(f).__name__}")
    return f


def forward_difference(f, x, eps):
    """(f(x + eps) - f(x)) / eps for a function ``f`` of one number; error O(eps)."""
    f, x, eps = _check_f(f), _scalar("x", x), positive_float("eps", eps)
    return (float(f(x + eps)) - float(f(x))) / eps


def central_difference(f, x, eps):
    """(f(x + eps) - f(x - eps)) / (2 eps) for a function ``f`` of one number; error O(eps^2)."""
    f, x, eps = _check_f(f), _scalar("x", x), positive_float("eps", eps)
    return (float(f(x + eps)) - float(f(x - eps))) / (2 * eps)


def epsilon_sweep(f, dfdx, x, epsilons):
    """|numerical - exact| derivative of ``f`` at ``x`` for each epsilon, both methods.

    ``dfdx``: the exact derivative f'(x), a number; ``epsilons: (k,)`` positive numbers.
    Returns ``{"forward": (k,), "central": (k,)}`` arrays of absolute errors.
    """
    dfdx = _scalar("dfdx", dfdx)
    epsilons = as_float_array("epsilons", epsilons, ndim=1)
    if np.any(epsilons <= 0):
        raise ValueError("epsilons must all be > 0")
    rules = {"forward": forward_difference, "central": central_difference}
    return {m: np.array([abs(rules[m](f, x, float(e)) - dfdx) for e in epsilons]) for m in METHODS}


def _check_params(params):
    if not isinstance(params, (list, tuple)) or not params:
        raise ValueError("params must be a non-empty list of arrays")
    return [as_float_array(f"params[{i}]", p) for i, p in enumerate(params)]


def numerical_gradients(cost, params, eps=1e-6):
    """dJ/d(every entry of every parameter) by central differences.

    ``cost``: a function of a list of arrays (shaped like ``params``) returning J;
    ``params``: a list of arrays, not changed. Returns ``(grads, n_evaluations)``: a list of
    arrays shaped like ``params`` and the number of times ``cost`` ran (2 per entry).
    """
    if not callable(cost):
        raise TypeError(f"cost must be a function of a list of arrays, got {type(cost).__name__}")
    params = [p.copy() for p in _check_params(params)]
    eps = positive_float("eps", eps)
    grads, n = [np.zeros_like(p) for p in params], 0
    for p, g in zip(params, grads, strict=True):
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + eps
            plus = float(cost(params))
            p[idx] = old - eps
            minus = float(cost(params))
            p[idx] = old
            g[idx] = (plus - minus) / (2 * eps)
            n += 2
    return grads, n


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||) over two lists of arrays (Euclidean norm of all entries).

    0 when both are zero. Below about 1e-7: the gradients agree; above 1e-3: a bug.
    """
    if not isinstance(a, (list, tuple)) or not isinstance(b, (list, tuple)) or len(a) != len(b):
        raise ValueError("a and b must be lists of arrays of the same length")
    max_abs_difference(a, b)  # checks shapes
    a = np.concatenate([np.ravel(as_float_array(f"a[{i}]", x)) for i, x in enumerate(a)])
    b = np.concatenate([np.ravel(as_float_array(f"b[{i}]", x)) for i, x in enumerate(b)])
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / denom) if denom > 0 else 0.0


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


def check_network_gradients(net, X, y, loss, eps=1e-6, from_logits=False):
    """Gradient check of :meth:`utils.network.Network.cost_and_gradients` on ``(X, y)``.

    ``X: (m, n)``; ``y``: targets as for the network's ``loss``. Returns a
    :class:`GradientCheck`; the network's weights are left as they were.
    """
    from .network import Network

    if not isinstance(net, Network):
        raise TypeError(f"net must be a utils.network.Network, got {type(net).__name__}")
    _, grads = net.cost_and_gradients(X, y, loss, from_logits)
    original = net.get_weights()

    def cost(params):
        net.params = params
        return net.cost(X, y, loss, from_logits)

    try:
        numerical, n = numerical_gradients(cost, original, eps)
    finally:
        net.set_weights(original)
    return GradientCheck(
        relative_error(grads, numerical),
        max_abs_difference(grads, numerical),
        net.count_params(),
        n,
        2,
    )


def check_keras_gradients(model, X, y, loss, eps=1e-6, from_logits=False):
    """Keras twin of :func:`check_network_gradients`, by ``tf.test.compute_gradient``.

    TensorFlow's own gradient checker perturbs each weight of the Keras ``model`` by
    +-``eps`` (central differences) and compares with ``tf.GradientTape``'s gradients.
    Returns a :class:`GradientCheck`.
    """
    import keras
    import tensorflow as tf

    from .losses import check_loss, loss_keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    loss_fn = loss_keras(check_loss(loss, from_logits), from_logits)
    eps = positive_float("eps", eps)
    X = as_float_array("X", X, ndim=2)
    y_t = tf.convert_to_tensor(np.asarray(y))
    weights = [tf.constant(w) for w in model.get_weights()]

    def cost(*ws):
        out, _ = model.stateless_call(list(ws), [], X, training=True)
        return loss_fn(y_t, out)

    theoretical, numerical = tf.test.compute_gradient(cost, weights, delta=eps)
    n_params = sum(int(np.prod(w.shape)) for w in weights)
    return GradientCheck(
        relative_error(list(theoretical), list(numerical)),
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
    if isinstance(n_params, bool) or not isinstance(n_params, (int, np.integer)) or n_params < 1:
        raise ValueError(f"n_params must be a positive integer, got {n_params!r}")
    n = int(n_params)
    return {"forward differences": n + 1, "central differences": 2 * n, "back propagation": 2}
