"""The one training loop (utils.training.Model) shared by every by-hand model."""

import sys
from collections import Counter

import numpy as np
import pytest

from tests.support.networks import problem
from tests.support.numerics import max_diff
from utils import training
from utils.convolution import ConvLayer, ConvNetwork
from utils.dense import LayerCache
from utils.logistic_regression import LogisticRegression
from utils.losses import loss_keras
from utils.network import Layer, Network
from utils.optimizers import Adam, GradientDescent, PaperAdam
from utils.training import full_batch_dataset

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


def test_full_batch_dataset_equals_full_batch_arrays(rng):
    """Both ways of full-batch fitting give the same history and weights, bit for bit."""
    X, y, layers, loss, from_logits = problem("binary", rng)
    runs = []
    for inputs in ({"x": X, "y": y, "batch_size": len(X)},
                   {"x": full_batch_dataset(X, y), "steps_per_epoch": 1}):
        model = Network(X.shape[1], layers, seed=7).to_keras()
        model.compile(optimizer=GradientDescent(0.5).to_keras(), loss=loss_keras(loss))
        history = model.fit(**inputs, epochs=20, shuffle=False, verbose=0)
        runs.append((history.history["loss"], model.get_weights()))
    assert runs[0][0] == runs[1][0]
    assert max_diff(runs[0][1], runs[1][1]) == 0


# -- The open seams of the training loop: the optimizers' ``apply``/``update_step``, the models


SEAM_RNG = np.random.default_rng(11)
X_SEAM, Y_SEAM = SEAM_RNG.normal(size=(12, 3)), (SEAM_RNG.uniform(size=(12, 1)) > 0.5).astype(float)


def _seam_net():
    return Network(3, [Layer(4, "relu"), Layer(1, "sigmoid")], seed=2)


@pytest.mark.parametrize("make", [GradientDescent, Adam, PaperAdam])
def test_step_is_update_step_per_parameter_then_one_count(make):
    """``step`` = ``update_step`` of each parameter in turn, then ``iterations += 1``; so
    three steps by hand equal three checked steps bit for bit."""
    by_step, by_hand = make(), make()
    a, b = _seam_net().get_weights(), _seam_net().get_weights()
    for _ in range(3):
        grads = [SEAM_RNG.normal(size=p.shape) for p in a]
        by_step.step(a, grads)
        for index, (p, g) in enumerate(zip(b, grads, strict=True)):
            by_hand.update_step(g, p, index)
        by_hand.iterations += 1
    assert by_step.iterations == by_hand.iterations == 3
    assert max_diff(a, b) == 0


def test_cost_function_is_the_model_at_other_weights():
    """J and back propagation's gradients at given weights, and the model left as it was."""
    net, other = _seam_net(), Network(3, [Layer(4, "relu"), Layer(1, "sigmoid")], seed=9)
    before = net.get_weights()
    f = net.cost_function(X_SEAM, Y_SEAM, "binary_crossentropy")
    J, grads = f(other.get_weights(), gradients=True)
    expected_J, expected_grads = other.cost_and_gradients(X_SEAM, Y_SEAM, "binary_crossentropy")
    assert J == expected_J and max_diff(grads, expected_grads) == 0
    assert f(other.get_weights()) == expected_J
    assert max_diff(net.get_weights(), before) == 0


def test_cost_function_refuses_weights_of_another_shape():
    f = _seam_net().cost_function(X_SEAM, Y_SEAM, "binary_crossentropy")
    with pytest.raises(ValueError, match=r"params\[0\] must have shape \(3, 4\)"):
        f([np.ones((2, 4)), np.zeros(4), np.ones((4, 1)), np.zeros(1)])


def test_full_batch_dataset_refuses_a_1d_X_naming_it():
    """A 1-D X used to fail inside Keras's fit with a message that did not name X."""
    with pytest.raises(ValueError, match=r"X must have shape \(m, n, \.\.\.\)"):
        training.full_batch_dataset(np.arange(4.0), np.arange(4.0))


def test_full_batch_dataset_yields_the_whole_set():
    X2 = SEAM_RNG.normal(size=(5, 2))
    batch = next(iter(training.full_batch_dataset(X2, np.arange(5.0))))
    assert max_diff(batch[0].numpy(), X2) == 0 and batch[1].numpy().tolist() == list(range(5))


def test_model_inputs_cast_to_the_model_type():
    model = _seam_net().to_keras()
    assert training.model_inputs(model, X_SEAM.astype(np.float32)).dtype == np.float64
