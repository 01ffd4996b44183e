"""The by-hand network against the identical Keras model: forward, gradients, training."""

import keras
import numpy as np
import pytest

from tests.support.networks import CASES, THREE_LAYERS, problem
from tests.support.numerics import TOL64, max_diff
from utils import data
from utils.losses import loss_keras
from utils.network import Layer, Network
from utils.optimizers import Adam, GradientDescent
from utils.training import cost_and_gradients_keras, full_batch_dataset


@pytest.mark.parametrize("name", CASES)
def test_forward_matches_keras(name, rng):
    """Tolerance TOL64 = 1e-12."""
    X, _, layers, _, _ = problem(name, rng)
    net = Network(X.shape[1], layers, seed=3)
    assert max_diff(net.predict(X), net.to_keras()(X)) <= TOL64


@pytest.mark.parametrize("name", CASES)
def test_gradients_match_gradient_tape(name, rng):
    """Back propagation through three layers equals tf.GradientTape within 1e-12."""
    X, y, layers, loss, from_logits = problem(name, rng)
    net = Network(X.shape[1], layers, seed=4)
    J, grads = net.cost_and_gradients(X, y, loss, from_logits)
    J_k, grads_k = cost_and_gradients_keras(net.to_keras(), X, y, loss, from_logits)
    assert abs(J - J_k) <= TOL64
    assert max_diff(grads, grads_k) <= TOL64


def _train_both(name, optimizer, rng, epochs=50, batch_size=None, dtype=np.float64):
    X, y, layers, loss, from_logits = problem(name, rng)
    net = Network(X.shape[1], layers, seed=5, dtype=dtype)
    model = net.to_keras()
    model.compile(optimizer=optimizer.to_keras(), loss=loss_keras(loss, from_logits))
    # Full batch: the one-batch dataset takes the same steps as batch_size=len(X) (see
    # test_full_batch_dataset_equals_full_batch_arrays) without a new pipeline per epoch.
    if batch_size is None:
        inputs = {"x": full_batch_dataset(X.astype(dtype), y), "steps_per_epoch": 1}
    else:
        inputs = {"x": X.astype(dtype), "y": y, "batch_size": batch_size}
    history_k = model.fit(**inputs, epochs=epochs, verbose=0, shuffle=False)
    history = net.fit(
        X,
        y,
        loss,
        optimizer,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=False,
        from_logits=from_logits,
    )
    return history["loss"], history_k.history["loss"], net.get_weights(), model.get_weights()


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize(
    "make_optimizer",
    [lambda: GradientDescent(0.5), lambda: Adam(0.01)],
    ids=["gradient_descent", "adam"],
)
def test_50_full_batch_steps_match_fit(name, make_optimizer, rng):
    """50 epochs of full-batch training: every epoch's cost and the final weights within 1e-10."""
    costs, costs_k, weights, weights_k = _train_both(name, make_optimizer(), rng)
    assert max_diff(costs, costs_k) <= 1e-10
    assert max_diff(weights, weights_k) <= 1e-10


def test_mini_batches_match_fit_without_shuffle(rng):
    """batch_size 16 on 40 examples (last batch 8): history is the size-weighted mean, as Keras."""
    costs, costs_k, weights, weights_k = _train_both(
        "multiclass", Adam(0.01), rng, epochs=5, batch_size=16
    )
    assert max_diff(costs, costs_k) <= 1e-10
    assert max_diff(weights, weights_k) <= 1e-10


@pytest.mark.parametrize(
    "make_optimizer",
    [lambda: GradientDescent(0.5), lambda: Adam(0.01)],
    ids=["gradient_descent", "adam"],
)
def test_float32_training_agrees_with_keras(make_optimizer, rng):
    """float32 by hand vs float32 Keras, 50 epochs: weights within 1e-5 (float32 round-off)."""
    costs, costs_k, weights, weights_k = _train_both(
        "binary", make_optimizer(), rng, dtype=np.float32
    )
    assert all(w.dtype == np.float32 for w in weights)
    assert max_diff(costs, costs_k) <= 1e-5
    assert max_diff(weights, weights_k) <= 1e-5


def test_shuffled_fit_is_seeded_and_learns():
    split = data.coffee_roasting().standardized()
    runs = []
    for _ in range(2):
        net = Network(2, [Layer(8, "relu"), Layer(1, "sigmoid")], seed=0)
        runs.append(
            net.fit(
                split.X_train, split.y_train, "binary_crossentropy", Adam(0.01), epochs=30, seed=1
            )["loss"]
        )
    assert runs[0] == runs[1]
    assert runs[0][-1] < 0.5 * runs[0][0]


def test_glorot_initialisation_matches_keras_statistics():
    """Same distribution as Keras's glorot_uniform: bounded by sqrt(6/(n_in+n_out)), zero bias."""
    net = Network(100, [Layer(300, "relu")], seed=0)
    W, b = net.params
    limit = np.sqrt(6 / 400)
    assert np.abs(W).max() <= limit and np.abs(W).max() > 0.99 * limit
    assert abs(W.std() - limit / np.sqrt(3)) < 0.01 * limit
    assert not b.any()
    assert net.count_params() == net.to_keras().count_params() == 100 * 300 + 300


def test_weights_copy_both_ways(rng):
    net = Network(3, THREE_LAYERS, seed=1)
    model = Network(3, THREE_LAYERS, seed=2).to_keras()
    net.set_weights(model.get_weights())
    assert max_diff(net.get_weights(), model.get_weights()) == 0


def test_three_sigmoid_outputs_train_as_keras_on_street_scenes(scenes):
    """Design B of Lab 5, 20 full-batch Adam steps: costs and weights within 1e-10."""
    X, Y = scenes.X_train, scenes.y_train
    net = Network(256, [Layer(8, "relu"), Layer(3, "sigmoid")], seed=0)
    model = net.to_keras()
    model.compile(optimizer=keras.optimizers.Adam(0.005), loss=keras.losses.BinaryCrossentropy())
    history_k = model.fit(
        full_batch_dataset(X, Y), epochs=20, steps_per_epoch=1, shuffle=False, verbose=0
    )
    history = net.fit(
        X, Y, "binary_crossentropy", Adam(0.005), epochs=20, batch_size=None, shuffle=False
    )
    assert max_diff(history["loss"], history_k.history["loss"]) <= 1e-10
    assert max_diff(net.get_weights(), model.get_weights()) <= 1e-10
    assert history["loss"][-1] < history["loss"][0]
