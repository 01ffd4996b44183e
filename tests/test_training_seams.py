"""The open seams of the training loop: the optimizers' ``apply``/``update_step``, the models'
``cost_function`` (the gradient check's entry), ``model_inputs`` and ``full_batch_dataset``."""

import numpy as np
import pytest

from conftest import max_diff
from utils import training
from utils.network import Layer, Network
from utils.optimizers import Adam, GradientDescent, PaperAdam

RNG = np.random.default_rng(11)
X, Y = RNG.normal(size=(12, 3)), (RNG.uniform(size=(12, 1)) > 0.5).astype(float)


def _net():
    return Network(3, [Layer(4, "relu"), Layer(1, "sigmoid")], seed=2)


@pytest.mark.parametrize("make", [GradientDescent, Adam, PaperAdam])
def test_step_is_update_step_per_parameter_then_one_count(make):
    """``step`` = ``update_step`` of each parameter in turn, then ``iterations += 1``; so
    three steps by hand equal three checked steps bit for bit."""
    by_step, by_hand = make(), make()
    a, b = _net().get_weights(), _net().get_weights()
    for _ in range(3):
        grads = [RNG.normal(size=p.shape) for p in a]
        by_step.step(a, grads)
        for index, (p, g) in enumerate(zip(b, grads, strict=True)):
            by_hand.update_step(g, p, index)
        by_hand.iterations += 1
    assert by_step.iterations == by_hand.iterations == 3
    assert max_diff(a, b) == 0


def test_cost_function_is_the_model_at_other_weights():
    """J and back propagation's gradients at given weights, and the model left as it was."""
    net, other = _net(), Network(3, [Layer(4, "relu"), Layer(1, "sigmoid")], seed=9)
    before = net.get_weights()
    f = net.cost_function(X, Y, "binary_crossentropy")
    J, grads = f(other.get_weights(), gradients=True)
    expected_J, expected_grads = other.cost_and_gradients(X, Y, "binary_crossentropy")
    assert J == expected_J and max_diff(grads, expected_grads) == 0
    assert f(other.get_weights()) == expected_J
    assert max_diff(net.get_weights(), before) == 0


def test_cost_function_refuses_weights_of_another_shape():
    f = _net().cost_function(X, Y, "binary_crossentropy")
    with pytest.raises(ValueError, match=r"params\[0\] must have shape \(3, 4\)"):
        f([np.ones((2, 4)), np.zeros(4), np.ones((4, 1)), np.zeros(1)])


def test_full_batch_dataset_refuses_a_1d_X_naming_it():
    """A 1-D X used to fail inside Keras's fit with a message that did not name X."""
    with pytest.raises(ValueError, match=r"X must have shape \(m, n, \.\.\.\)"):
        training.full_batch_dataset(np.arange(4.0), np.arange(4.0))


def test_full_batch_dataset_yields_the_whole_set():
    X2 = RNG.normal(size=(5, 2))
    batch = next(iter(training.full_batch_dataset(X2, np.arange(5.0))))
    assert max_diff(batch[0].numpy(), X2) == 0 and batch[1].numpy().tolist() == list(range(5))


def test_model_inputs_cast_to_the_model_type():
    model = _net().to_keras()
    assert training.model_inputs(model, X.astype(np.float32)).dtype == np.float64


NET = _net()
BAD_INPUT = {
    "training.model_inputs": [
        (lambda: training.model_inputs(None, X), TypeError, "model must be a keras.Model"),
        (
            lambda: training.model_inputs(NET.to_keras(), np.ones((2, 5))),
            ValueError,
            "X must have shape (m, 3)",
        ),
    ],
}
