"""Numerical derivatives and gradient checks against tf.GradientTape and TF's own checker."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

from tests.support.numerics import TOL64, max_diff  # noqa: E402
from utils import gradient_check as gc  # noqa: E402
from utils.activations import sigmoid, sigmoid_derivative  # noqa: E402
from utils.network import Layer, Network  # noqa: E402
from utils.training import cost_and_gradients_keras  # noqa: E402


def _tape_derivative(fn, x):
    v = tf.Variable(x, dtype=tf.float64)
    with tf.GradientTape() as tape:
        out = fn(v)
    return float(tape.gradient(out, v))


@pytest.mark.parametrize("x", [-2.0, 0.0, 1.0, 3.5])
def test_differences_approach_the_gradient_tape_derivative(x):
    """Sigmoid: central (eps 1e-5) within 1e-9, forward (eps 1e-8) within 1e-7 of the tape."""
    exact = _tape_derivative(tf.math.sigmoid, x)
    assert abs(gc.central_difference(sigmoid, x, 1e-5) - exact) <= 1e-9
    assert abs(gc.forward_difference(sigmoid, x, 1e-8) - exact) <= 1e-7


def test_truncation_orders():
    """Exact arithmetic facts: forward is off by eps (J = w^2), central is exact for quadratics."""
    assert gc.forward_difference(lambda w: w**2, 3.0, 0.5) == 6.5
    assert gc.central_difference(lambda w: (2 + 3 * w) ** 2, 3.0, 0.5) == 66.0


def test_epsilon_sweep_has_truncation_and_round_off_regimes():
    eps = np.logspace(-15, -1, 43)
    errors = gc.epsilon_sweep(sigmoid, sigmoid_derivative(1.0), 1.0, eps)
    assert set(errors) == {"forward", "central"} and errors["forward"].shape == (43,)
    for e in errors.values():
        assert np.all(np.diff(e[eps >= 1e-4]) > 0)  # truncation: shrinks with eps
        assert e[0] > 1e-3  # round-off at eps = 1e-15
    assert 1e-9 <= eps[np.argmin(errors["forward"])] <= 1e-7
    assert 1e-7 <= eps[np.argmin(errors["central"])] <= 1e-4


@pytest.mark.parametrize(
    "layers,loss,from_logits",
    [
        ([Layer(4, "sigmoid"), Layer(1, "sigmoid")], "binary_crossentropy", False),
        ([Layer(3, "relu"), Layer(3, "softmax")], "sparse_categorical_crossentropy", False),
        ([Layer(3, "sigmoid"), Layer(2, "linear")], "mean_squared_error", False),
    ],
)
def test_numerical_gradients_match_gradient_tape(layers, loss, from_logits, rng):
    """Central differences (eps 1e-6) within 1e-8 of tf.GradientTape on the Keras twin."""
    X = rng.normal(size=(12, 3))
    y = {
        "binary_crossentropy": (X[:, :1] > 0).astype(float),
        "sparse_categorical_crossentropy": rng.integers(0, 3, size=12),
        "mean_squared_error": X[:, :2] ** 2,
    }[loss]
    net = Network(3, layers, seed=2)
    probe = Network(3, layers)

    def cost(params):
        probe.set_weights(params)
        return probe.cost(X, y, loss, from_logits)

    before = net.get_weights()
    numerical, n = gc.numerical_gradients(cost, before, eps=1e-6)
    _, tape = cost_and_gradients_keras(net.to_keras(), X, y, loss, from_logits)
    assert n == 2 * net.count_params()
    assert max_diff(numerical, tape) <= 1e-8
    assert gc.relative_error(numerical, tape) <= 1e-7
    assert max_diff(before, net.get_weights()) == 0  # params not changed


def test_network_check_and_keras_check_agree(rng):
    """By hand and tf.test.compute_gradient: both relative errors < 1e-7, same counts."""
    X, y = rng.normal(size=(20, 2)), (rng.uniform(size=(20, 1)) > 0.5).astype(float)
    net = Network(2, [Layer(3, "sigmoid"), Layer(1, "sigmoid")], seed=0)
    weights = net.get_weights()
    ours = gc.gradient_check(net, X, y, "binary_crossentropy")
    theirs = gc.gradient_check_keras(net.to_keras(), X, y, "binary_crossentropy")
    assert max_diff(weights, net.get_weights()) == 0
    assert ours.relative_error < 1e-7 and theirs.relative_error < 1e-7
    assert ours.max_abs_difference < 1e-8 and theirs.max_abs_difference < 1e-8
    assert (ours.n_params, ours.passes_numerical, ours.passes_backprop) == (13, 26, 2)
    assert (theirs.n_params, theirs.passes_numerical, theirs.passes_backprop) == (13, 26, 2)


def test_gradient_check_catches_a_bug(rng):
    X, y = rng.normal(size=(20, 2)), (rng.uniform(size=(20, 1)) > 0.5).astype(float)
    net = Network(2, [Layer(3, "sigmoid"), Layer(1, "sigmoid")], seed=0)
    _, grads = net.cost_and_gradients(X, y, "binary_crossentropy")
    _, tape = cost_and_gradients_keras(net.to_keras(), X, y, "binary_crossentropy")
    assert gc.relative_error(grads, tape) <= TOL64
    grads[-1] = grads[-1] * len(X)
    assert gc.relative_error(grads, tape) > 1e-3


def test_relative_error_edge_cases():
    assert gc.relative_error([np.zeros(3)], [np.zeros(3)]) == 0.0
    assert gc.relative_error([np.ones(2)], [-np.ones(2)]) == 1.0


def test_pass_counts():
    assert gc.pass_counts(481) == {
        "forward differences": 482,
        "central differences": 962,
        "back propagation": 2,
    }
