"""The one training loop (utils.training.Model) shared by every by-hand model."""

import sys
from collections import Counter

import numpy as np
import pytest

from conftest import max_diff
from utils import training
from utils.convolution import ConvLayer, ConvNetwork
from utils.dense import LayerCache
from utils.logistic_regression import LogisticRegression
from utils.network import Layer, Network
from utils.optimizers import Adam, GradientDescent

RNG = np.random.default_rng(7)
X, Y = RNG.normal(size=(40, 3)), (RNG.uniform(size=(40, 1)) > 0.5).astype(float)


def _net():
    return Network(3, [Layer(4, "relu"), Layer(3, "sigmoid"), Layer(1, "sigmoid")], seed=0)


def test_every_model_trains_with_the_same_loop():
    for model in (Network, ConvNetwork, LogisticRegression):
        assert issubclass(model, training.Model)
        for method in ("fit", "predict", "cost", "cost_and_gradients", "forward", "set_weights"):
            assert getattr(model, method) is getattr(training.Model, method), (model, method)


def _validation_calls(run):
    """Calls of the public functions of utils/validation.py while ``run()`` runs."""
    calls = Counter()

    def profile(frame, event, arg):
        code = frame.f_code
        if event == "call" and code.co_filename.endswith("validation.py") and (
            not code.co_name.startswith("_")
        ):
            calls[code.co_name] += 1

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return calls


def test_fit_checks_its_arguments_once_not_per_step():
    """1 epoch of 5 steps and 3 epochs of 5 steps make the same validation calls: 0 per step
    (commit 310fc2b made 41 per step on this 3-layer network: 37 array scans)."""
    def fit(epochs):
        return lambda: _net().fit(X, Y, "binary_crossentropy", Adam(), epochs=epochs,
                                  batch_size=8, shuffle=False)

    once, thrice = _validation_calls(fit(1)), _validation_calls(fit(3))
    assert once == thrice
    assert once["as_float_array"] == 2  # X and y


def test_history_is_the_batch_weighted_mean_of_the_costs_before_each_step():
    """batch_size 16 on 40 examples (16, 16, 8), shuffled from the seed: the loop by hand."""
    net, copy = _net(), _net()
    history = net.fit(X, Y, "binary_crossentropy", GradientDescent(0.3), epochs=2,
                      batch_size=16, seed=5)
    rng, optimizer, expected = np.random.default_rng(5), GradientDescent(0.3), []
    for _ in range(2):
        order, total = rng.permutation(40), 0.0
        for start in range(0, 40, 16):
            idx = order[start : start + 16]
            J, grads = copy.cost_and_gradients(X[idx], Y[idx], "binary_crossentropy")
            optimizer.step(copy.params, grads)
            total += J * len(idx)
        expected.append(total / 40)
    assert history["loss"] == expected
    assert max_diff(net.get_weights(), copy.get_weights()) == 0


def test_batch_size_none_is_one_full_batch_and_optimizer_state_carries_over():
    a, b = _net(), _net()
    adam_a, adam_b = Adam(0.01), Adam(0.01)
    a.fit(X, Y, "binary_crossentropy", adam_a, epochs=2, batch_size=None)
    b.fit(X, Y, "binary_crossentropy", adam_b, epochs=1, batch_size=40, shuffle=False)
    b.fit(X, Y, "binary_crossentropy", adam_b, epochs=1, batch_size=40, shuffle=False)
    assert adam_a.iterations == adam_b.iterations == 2
    assert max_diff(a.get_weights(), b.get_weights()) <= 1e-15


def test_forward_caches_are_named_tuples():
    caches = _net().forward(X[:5])
    assert [type(c) for c in caches] == [LayerCache] * 3
    assert caches[-1].A.shape == (5, 1) and caches[0].Z.shape == (5, 4)


def test_cost_and_gradients_of_targets_as_column_or_vector():
    """Like Keras, targets (m,) and (m, 1) stand for each other for a one-unit output."""
    net = _net()
    J, grads = net.cost_and_gradients(X, Y, "binary_crossentropy")
    J1, grads1 = net.cost_and_gradients(X, Y[:, 0], "binary_crossentropy")
    assert J == J1 and max_diff(grads, grads1) == 0


def test_epochs_to_reach():
    costs = [3.0, 2.0, 1.0, 1.0, 0.5]
    assert training.epochs_to_reach(costs, 1.0) == 3
    assert training.epochs_to_reach(costs, 5.0) == 1
    assert training.epochs_to_reach(costs, 0.1) is None
    assert training.epochs_to_reach([np.inf, np.nan, 0.4], 0.5) == 3  # a history that diverged


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_targets_take_the_models_float_type(dtype):
    net = Network(3, [Layer(1, "sigmoid")], dtype=dtype)
    _, grads = net.cost_and_gradients(X, Y, "binary_crossentropy")
    assert all(g.dtype == dtype for g in grads)


def test_conv_network_trains_in_mini_batches():
    net = ConvNetwork(12, [ConvLayer(2, 3, 2, "relu")], Layer(1, "sigmoid"), seed=0)
    X12 = RNG.normal(size=(10, 12))
    adam = Adam()
    net.fit(X12, Y[:10], "binary_crossentropy", adam, epochs=3, batch_size=4)
    assert adam.iterations == 3 * 3
