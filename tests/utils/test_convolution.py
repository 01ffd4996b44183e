"""Conv1D/Conv2D by hand against keras.layers.Conv1D/Conv2D and tf.GradientTape (float64)."""

import keras
import numpy as np
import pytest

from tests.support.numerics import TOL64, max_diff
from utils import data
from utils.convolution import (
    ConvLayer,
    ConvNetwork,
    conv1d_backward,
    conv1d_backward_keras,
    conv1d_forward,
    conv1d_forward_keras,
    conv2d_forward,
    conv2d_forward_keras,
    output_length,
)
from utils.dense import glorot_uniform
from utils.losses import loss_keras
from utils.network import Layer
from utils.optimizers import Adam, GradientDescent
from utils.training import cost_and_gradients_keras, full_batch_dataset

# (length, in_channels, kernel_size, filters, strides): the lecture's two layers, a stride
# larger than the kernel (gaps), a length the windows do not fill exactly, a single window.
CONV1D_CASES = [
    (100, 1, 20, 1, 10),
    (9, 3, 5, 2, 2),
    (17, 2, 3, 4, 5),
    (11, 2, 4, 3, 3),
    (6, 1, 6, 2, 1),
    (12, 3, 1, 2, 1),
]


def _conv1d_problem(rng, length, channels, size, filters):
    X = rng.normal(size=(5, length, channels))
    return X, rng.normal(size=(size, channels, filters)), rng.normal(size=filters)


@pytest.mark.parametrize("length,channels,size,filters,strides", CONV1D_CASES)
@pytest.mark.parametrize("activation", ["linear", "relu", "sigmoid"])
def test_conv1d_forward_matches_keras(rng, length, channels, size, filters, strides, activation):
    """Tolerance TOL64 = 1e-12; output length (length - kernel_size) // strides + 1."""
    X, K, b = _conv1d_problem(rng, length, channels, size, filters)
    Z, A = conv1d_forward(X, K, b, strides, activation)
    assert Z.shape == (5, output_length(length, size, strides), filters)
    assert max_diff(A, conv1d_forward_keras(X, K, b, strides, activation)) <= TOL64


def test_conv1d_forward_equals_the_definition(rng):
    """z[j, f] = sum_i sum_c X[j*s + i, c] K[i, c, f] + b[f], written out with loops (exact)."""
    X, K, b = _conv1d_problem(rng, 17, 2, 3, 4)
    Z, _ = conv1d_forward(X, K, b, strides=5)
    for j in range(Z.shape[1]):
        for f in range(4):
            direct = (X[:, 5 * j : 5 * j + 3, :] * K[:, :, f]).sum(axis=(1, 2)) + b[f]
            assert max_diff(Z[:, j, f], direct) <= TOL64


@pytest.mark.parametrize("length,channels,size,filters,strides", CONV1D_CASES)
def test_conv1d_backward_matches_gradient_tape(rng, length, channels, size, filters, strides):
    """dK, db and dX of sum(Z * dZ) equal tf.GradientTape through Conv1D within 1e-12."""
    X, K, b = _conv1d_problem(rng, length, channels, size, filters)
    dZ = rng.normal(size=(5, output_length(length, size, strides), filters))
    ours = conv1d_backward(dZ, X, K, strides)
    theirs = conv1d_backward_keras(dZ, X, K, b, strides)
    assert [g.shape for g in ours] == [K.shape, b.shape, X.shape]
    assert max_diff(list(ours), list(theirs)) <= TOL64


def test_conv1d_backward_matches_finite_differences(rng):
    """Central differences of J = sum(Z * dZ) on a few kernel entries, within 1e-7."""
    X, K, b = _conv1d_problem(rng, 11, 2, 4, 3)
    dZ = rng.normal(size=(5, output_length(11, 4, 3), 3))
    dK, _, _ = conv1d_backward(dZ, X, K, 3)
    for idx in [(0, 0, 0), (3, 1, 2), (2, 0, 1)]:
        step = np.zeros_like(K)
        step[idx] = 1e-6
        plus = (conv1d_forward(X, K + step, b, 3)[0] * dZ).sum()
        minus = (conv1d_forward(X, K - step, b, 3)[0] * dZ).sum()
        assert abs((plus - minus) / 2e-6 - dK[idx]) <= 1e-7


@pytest.mark.parametrize(
    "shape,kernel,strides",
    [
        ((8, 8, 1), (3, 3, 1, 4), 1),
        ((8, 8, 2), (2, 3, 2, 3), (2, 1)),
        ((7, 6, 3), (7, 2, 3, 2), 2),
        ((8, 8, 1), (8, 8, 1, 1), 1),
    ],
)
@pytest.mark.parametrize("activation", ["linear", "relu"])
def test_conv2d_forward_matches_keras(rng, shape, kernel, strides, activation):
    """Tolerance TOL64 = 1e-12, on square and non-square kernels and strides."""
    X, K, b = rng.normal(size=(4, *shape)), rng.normal(size=kernel), rng.normal(size=kernel[-1])
    Z, A = conv2d_forward(X, K, b, strides, activation)
    assert max_diff(A, conv2d_forward_keras(X, K, b, strides, activation)) <= TOL64


def test_conv2d_on_digits_shapes():
    X = data.digits().X_test[:10].reshape(-1, 8, 8, 1)
    Z, _ = conv2d_forward(X, np.ones((3, 3, 1, 5)), np.zeros(5))
    assert Z.shape == (10, 6, 6, 5)
    assert max_diff(Z[:, 0, 0, 0], X[:, :3, :3, 0].sum(axis=(1, 2))) <= TOL64


def test_glorot_kernel_matches_keras_limit():
    """Keras's glorot_uniform on a (20, 1, 8) kernel: limit sqrt(6 / (20 * (1 + 8)))."""
    K = glorot_uniform(1, 8, np.random.default_rng(0), kernel_size=20)
    limit = np.sqrt(6 / (20 * 9))
    assert K.shape == (20, 1, 8) and np.abs(K).max() <= limit and np.abs(K).max() > 0.95 * limit
    keras_K = keras.initializers.GlorotUniform(seed=0)((20, 1, 8)).numpy()
    assert np.abs(keras_K).max() <= limit and np.abs(keras_K).max() > 0.95 * limit


LECTURE = [ConvLayer(1, 20, 10, "relu"), ConvLayer(1, 5, 2, "relu")]
NETS = {
    "lecture": (LECTURE, Layer(1, "sigmoid"), "binary_crossentropy", False),
    "filters": (
        [ConvLayer(3, 20, 10, "relu"), ConvLayer(2, 5, 2, "sigmoid")],
        Layer(1, "linear"),
        "binary_crossentropy",
        True,
    ),
    "three_layers_softmax": (
        [ConvLayer(2, 7, 3, "sigmoid"), ConvLayer(4, 3, 1, "relu"), ConvLayer(2, 2, 2, "linear")],
        Layer(3, "softmax"),
        "sparse_categorical_crossentropy",
        False,
    ),
}


def _net_problem(name, rng, m=30, length=100):
    conv_layers, output, loss, from_logits = NETS[name]
    X = rng.normal(size=(m, length))
    if loss == "binary_crossentropy":
        y = (X[:, 30:50].sum(axis=1, keepdims=True) > 0).astype(float)
    else:
        y = rng.integers(0, 3, size=m)
    return X, y, conv_layers, output, loss, from_logits


@pytest.mark.parametrize("name", NETS)
def test_network_forward_and_gradients_match_keras(name, rng):
    """Forward pass and back propagation through Conv1D layers equal Keras within 1e-12."""
    X, y, conv_layers, output, loss, from_logits = _net_problem(name, rng)
    net = ConvNetwork(100, conv_layers, output, seed=2)
    model = net.to_keras()
    assert net.count_params() == model.count_params()
    assert max_diff(net.predict(X), model(X)) <= TOL64
    J, grads = net.cost_and_gradients(X, y, loss, from_logits)
    J_k, grads_k = cost_and_gradients_keras(model, X, y, loss, from_logits)
    assert abs(J - J_k) <= TOL64
    assert max_diff(grads, grads_k) <= TOL64


@pytest.mark.parametrize("name", NETS)
@pytest.mark.parametrize(
    "make_optimizer", [lambda: GradientDescent(0.1), lambda: Adam(0.01)], ids=["gd", "adam"]
)
def test_network_training_matches_fit(name, make_optimizer, rng):
    """50 full-batch steps: every epoch's cost and the final weights within 1e-10."""
    X, y, conv_layers, output, loss, from_logits = _net_problem(name, rng)
    net = ConvNetwork(100, conv_layers, output, seed=3)
    model = net.to_keras()
    optimizer = make_optimizer()
    model.compile(optimizer=optimizer.to_keras(), loss=loss_keras(loss, from_logits))
    history_k = model.fit(
        full_batch_dataset(X, y), epochs=50, steps_per_epoch=1, shuffle=False, verbose=0
    )
    history = net.fit(
        X, y, loss, optimizer, epochs=50, batch_size=None, shuffle=False, from_logits=from_logits
    )
    assert max_diff(history["loss"], history_k.history["loss"]) <= 1e-10
    assert max_diff(net.get_weights(), model.get_weights()) <= 1e-10


@pytest.mark.parametrize("name", ["lecture", "three_layers_softmax"])
def test_network_mini_batches_match_fit(name, rng):
    """The shared training loop gives the conv network Keras's mini-batches: batch_size 8 on
    30 examples (last batch 6), 5 epochs of Adam, costs and weights within 1e-10."""
    X, y, conv_layers, output, loss, from_logits = _net_problem(name, rng)
    net = ConvNetwork(100, conv_layers, output, seed=4)
    model = net.to_keras()
    model.compile(optimizer=Adam(0.01).to_keras(), loss=loss_keras(loss, from_logits))
    history_k = model.fit(X, y, epochs=5, batch_size=8, shuffle=False, verbose=0)
    history = net.fit(X, y, loss, Adam(0.01), epochs=5, batch_size=8, shuffle=False)
    assert model.optimizer.iterations == 5 * 4
    assert max_diff(history["loss"], history_k.history["loss"]) <= 1e-10
    assert max_diff(net.get_weights(), model.get_weights()) <= 1e-10


def test_lecture_network_parameter_count():
    """Shared kernels: (20 + 1) + (5 + 1) + (3 + 1) = 31; the lecture's 9 and 3 units."""
    net = ConvNetwork(100, LECTURE, Layer(1, "sigmoid"))
    assert net.count_params() == 31
    assert [Z.shape[1:] for Z, _ in net.forward(np.zeros((2, 100)))] == [(9, 1), (3, 1), (1,)]


def test_weights_copy_both_ways():
    net = ConvNetwork(100, LECTURE, Layer(1, "sigmoid"), seed=0)
    other = ConvNetwork(100, LECTURE, Layer(1, "sigmoid"), seed=1).to_keras()
    net.set_weights(other.get_weights())
    assert max_diff(net.get_weights(), other.get_weights()) == 0
