"""Collapsing a network with linear hidden layers to one W, b, by hand and by probing Keras."""

import keras
import pytest

from tests.support.numerics import TOL64, max_diff
from utils import data, logistic_regression
from utils.dense import dense_forward
from utils.linear_collapse import collapse_linear, collapse_linear_keras
from utils.losses import loss_keras
from utils.network import Layer, Network
from utils.optimizers import GradientDescent
from utils.training import full_batch_dataset

LINEAR = [Layer(5, "linear"), Layer(4, "linear"), Layer(2, "linear")]
SIGMOID_OUT = [Layer(6, "linear"), Layer(3, "linear"), Layer(1, "sigmoid")]


@pytest.mark.parametrize("layers", [LINEAR, SIGMOID_OUT, [Layer(3, "relu")]], ids=len)
def test_collapsed_map_equals_network_and_keras(layers, rng):
    """g(X W + b) equals the network's output, by hand and in Keras, within TOL64 = 1e-12."""
    X = rng.normal(size=(30, 3)) * 2
    net = Network(3, layers, seed=2)
    model = net.to_keras()
    W, b = collapse_linear(net)
    W_k, b_k = collapse_linear_keras(model)
    assert W.shape == (3, layers[-1].units) and b.shape == (layers[-1].units,)
    assert max_diff(W, W_k) <= TOL64 and max_diff(b, b_k) <= TOL64
    _, out = dense_forward(X, W, b, layers[-1].activation)
    assert max_diff(out, net.predict(X)) <= TOL64
    assert max_diff(out, model(X)) <= TOL64


def test_collapse_is_the_product_of_two_layers(rng):
    net = Network(2, [Layer(3, "linear"), Layer(1, "linear")], seed=0)
    W1, b1, W2, b2 = net.get_weights()
    W1 += rng.normal(size=W1.shape)
    b1 += rng.normal(size=b1.shape)
    net.set_weights([W1, b1, W2, b2])
    W, b = collapse_linear(net)
    assert max_diff(W, W1 @ W2) == 0 and max_diff(b, b1 @ W2 + b2) == 0


def test_trained_linear_network_with_sigmoid_output_is_logistic_regression():
    """After 100 steps of gradient descent (by hand and Keras within 1e-10) the collapsed
    network predicts what logistic regression with that w, b predicts, within 1e-12."""
    split = data.coffee_roasting(m=120).standardized()
    X, y = split.X_train, split.y_train
    net = Network(2, SIGMOID_OUT, seed=1)
    model = net.to_keras()
    model.compile(optimizer=keras.optimizers.SGD(1.0), loss=loss_keras("binary_crossentropy"))
    model.fit(full_batch_dataset(X, y), epochs=100, steps_per_epoch=1, shuffle=False, verbose=0)
    net.fit(
        X,
        y,
        "binary_crossentropy",
        GradientDescent(1.0),
        epochs=100,
        batch_size=None,
        shuffle=False,
    )
    assert max_diff(net.get_weights(), model.get_weights()) <= 1e-10
    W, b = collapse_linear(net)
    p = logistic_regression.predict(split.X_test, W[:, 0], b[0])
    assert max_diff(p, net.predict(split.X_test)[:, 0]) <= TOL64
    W_k, b_k = collapse_linear_keras(model)
    assert max_diff(W, W_k) <= 1e-10 and max_diff(b, b_k) <= 1e-10
