"""Logistic regression by hand against a one-unit Keras model and the general Network."""

import keras
import numpy as np

from tests.support.numerics import TOL64, max_diff
from utils import data, logistic_regression
from utils.logistic_regression import LogisticRegression
from utils.network import Layer, Network
from utils.optimizers import GradientDescent
from utils.training import full_batch_dataset


def test_same_cost_every_epoch_as_keras():
    """100 epochs of full-batch gradient descent: costs and final w, b within 1e-12."""
    split = data.coffee_roasting().standardized()
    X, y = split.X_train, split.y_train
    lr = LogisticRegression(np.array([0.3, -0.2]), 0.1)
    model = lr.to_keras()
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss=keras.losses.BinaryCrossentropy())
    history_k = model.fit(  # full batch, one pipeline for all epochs
        full_batch_dataset(X, y), epochs=100, steps_per_epoch=1, shuffle=False, verbose=0
    )
    history = lr.fit(X, y, "binary_crossentropy", GradientDescent(0.5), epochs=100,
                     batch_size=None, shuffle=False)
    assert max_diff(history["loss"], history_k.history["loss"]) <= TOL64
    W_k, b_k = model.get_weights()
    assert max_diff(lr.w, W_k[:, 0]) <= TOL64 and abs(lr.b - b_k[0]) <= TOL64
    assert max_diff(lr.get_weights(), model.get_weights()) <= TOL64


def test_model_steps_are_the_formulas(rng):
    """One fit step of the model is one gradient_descent_update of the functions (1e-15);
    predict and cost agree with the functions, y given as (m,) or (m, 1)."""
    X, y = rng.normal(size=(20, 3)), rng.integers(0, 2, size=20).astype(float)
    w, b = rng.normal(size=3), 0.3
    lr = LogisticRegression(w, b)
    assert max_diff(lr.predict(X)[:, 0], logistic_regression.predict(X, w, b)) <= 1e-15
    assert abs(lr.cost(X, y, "binary_crossentropy") - logistic_regression.cost(X, y, w, b)) <= 1e-15
    assert lr.cost(X, y[:, None], "binary_crossentropy") == lr.cost(X, y, "binary_crossentropy")
    lr.fit(X, y, "binary_crossentropy", GradientDescent(0.7), batch_size=None, shuffle=False)
    new_w, new_b = logistic_regression.gradient_descent_update(X, y, w, b, 0.7)
    assert max_diff(lr.w, new_w) <= 1e-15 and abs(lr.b - new_b) <= 1e-15


def test_formulas_equal_the_general_network(rng):
    X, y = rng.normal(size=(30, 3)), rng.integers(0, 2, size=30).astype(float)
    net = Network(3, [Layer(1, "sigmoid")])
    w, b = net.params[0][:, 0], net.params[1][0]
    J, (dW, db) = net.cost_and_gradients(X, y[:, None], "binary_crossentropy")
    dw, db_lr = logistic_regression.gradients(X, y, w, b)
    assert abs(J - logistic_regression.cost(X, y, w, b)) <= TOL64
    assert max_diff(dw, dW[:, 0]) <= TOL64 and abs(db_lr - db[0]) <= TOL64
    assert max_diff(logistic_regression.predict(X, w, b), net.predict(X)[:, 0]) <= TOL64
    new_w, new_b = logistic_regression.gradient_descent_update(X, y, w, b, 0.1)
    GradientDescent(0.1).step(net.params, [dW, db])
    assert max_diff(new_w, net.params[0][:, 0]) <= TOL64 and abs(new_b - net.params[1][0]) <= TOL64


def test_step_does_not_modify_inputs():
    w = np.array([1.0, 2.0])
    logistic_regression.gradient_descent_update(np.ones((2, 2)), [0.0, 1.0], w, 0.0, 0.1)
    assert w.tolist() == [1.0, 2.0]
    lr = LogisticRegression(w)
    lr.fit(np.ones((2, 2)), [0.0, 1.0], "binary_crossentropy", GradientDescent(0.1))
    assert w.tolist() == [1.0, 2.0] and lr.w.tolist() != [1.0, 2.0]
