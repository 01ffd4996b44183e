"""The by-hand network against the identical Keras model: forward, gradients, training."""

import keras
import numpy as np
import pytest

from tests.support.numerics import TOL64, max_diff
from utils import data
from utils.dense import dense_forward, dense_forward_keras, dense_forward_loop
from utils.losses import loss_keras
from utils.network import Layer, Network
from utils.optimizers import Adam, GradientDescent
from utils.training import cost_and_gradients_keras, full_batch_dataset

THREE_LAYERS = [Layer(25, "sigmoid"), Layer(15, "relu"), Layer(1, "sigmoid")]
CASES = {
    "binary": (THREE_LAYERS, "binary_crossentropy", False),
    "binary_logits": (
        [Layer(8, "relu"), Layer(6, "relu"), Layer(1, "linear")],
        "binary_crossentropy",
        True,
    ),
    "multiclass": (
        [Layer(12, "relu"), Layer(8, "relu"), Layer(4, "softmax")],
        "sparse_categorical_crossentropy",
        False,
    ),
    "multiclass_logits": (
        [Layer(12, "relu"), Layer(8, "sigmoid"), Layer(4, "linear")],
        "sparse_categorical_crossentropy",
        True,
    ),
    "regression": (
        [Layer(10, "relu"), Layer(5, "sigmoid"), Layer(2, "linear")],
        "mean_squared_error",
        False,
    ),
}


def _problem(name, rng, m=40, n=3):
    X = rng.normal(size=(m, n))
    layers, loss, from_logits = CASES[name]
    if loss == "binary_crossentropy":
        y = (X[:, :1] + X[:, 1:2] ** 2 > 0.5).astype(float)
    elif loss == "sparse_categorical_crossentropy":
        y = rng.integers(0, 4, size=m)
    else:
        y = np.column_stack([X.sum(axis=1), np.sin(X[:, 0])])
    return X, y, layers, loss, from_logits


@pytest.mark.parametrize("name", CASES)
def test_forward_matches_keras(name, rng):
    """Tolerance TOL64 = 1e-12."""
    X, _, layers, _, _ = _problem(name, rng)
    net = Network(X.shape[1], layers, seed=3)
    assert max_diff(net.predict(X), net.to_keras()(X)) <= TOL64


@pytest.mark.parametrize("name", CASES)
def test_gradients_match_gradient_tape(name, rng):
    """Back propagation through three layers equals tf.GradientTape within 1e-12."""
    X, y, layers, loss, from_logits = _problem(name, rng)
    net = Network(X.shape[1], layers, seed=4)
    J, grads = net.cost_and_gradients(X, y, loss, from_logits)
    J_k, grads_k = cost_and_gradients_keras(net.to_keras(), X, y, loss, from_logits)
    assert abs(J - J_k) <= TOL64
    assert max_diff(grads, grads_k) <= TOL64


def _train_both(name, optimizer, rng, epochs=50, batch_size=None, dtype=np.float64):
    X, y, layers, loss, from_logits = _problem(name, rng)
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


def test_adam_epsilon_placement_and_float32_betas(rng):
    """One Adam step on w: the Keras form differs from the paper's (eps on sqrt(v_hat))."""
    w, g = np.array([0.3]), np.array([2e-7])
    ours = w.copy()
    Adam().step([ours], [g])
    var = keras.Variable(w)
    opt = keras.optimizers.Adam()
    opt.apply_gradients([(keras.ops.convert_to_tensor(g), var)])
    assert max_diff(ours, var.numpy()) <= 1e-16
    m_hat, v_hat = g, g**2  # after one step the bias corrections undo (1 - beta)
    paper = w - 1e-3 * m_hat / (np.sqrt(v_hat) + 1e-7)
    assert abs(paper - ours)[0] > 1e-5


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


def test_dense_loop_equals_matmul_and_keras(rng):
    A, W, b = rng.normal(size=(6, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    Z, out = dense_forward(A, W, b, "relu")
    assert max_diff(out, dense_forward_loop(A, W, b, "relu")) <= TOL64
    assert max_diff(out, dense_forward_keras(A, W, b, "relu")) <= TOL64
    assert max_diff(Z, A @ W + b) == 0


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


def test_full_batch_dataset_equals_full_batch_arrays(rng):
    """Both ways of full-batch fitting give the same history and weights, bit for bit."""
    X, y, layers, loss, from_logits = _problem("binary", rng)
    runs = []
    for inputs in ({"x": X, "y": y, "batch_size": len(X)},
                   {"x": full_batch_dataset(X, y), "steps_per_epoch": 1}):
        model = Network(X.shape[1], layers, seed=7).to_keras()
        model.compile(optimizer=GradientDescent(0.5).to_keras(), loss=loss_keras(loss))
        history = model.fit(**inputs, epochs=20, shuffle=False, verbose=0)
        runs.append((history.history["loss"], model.get_weights()))
    assert runs[0][0] == runs[1][0]
    assert max_diff(runs[0][1], runs[1][1]) == 0
