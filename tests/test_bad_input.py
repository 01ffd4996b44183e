"""Bad input raises ValueError/TypeError naming the argument, for every public function.

The cases for the core modules are below; a test module for a later module adds its own as a
module-level ``BAD_INPUT`` dict of the same form, which is collected here.
``test_every_public_function_is_covered`` fails when a public function of any ``utils`` module
has no case.
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

import numpy as np
import pytest

import utils
from utils import (
    activations,
    data,
    dense,
    losses,
    network,
    optimizers,
    training,
    validation,
)

# Modules whose functions take no data to validate: the set-up call, figures, exercise checkers
# (which report a student's mistakes instead of raising).
EXEMPT_MODULES = {"lab", "plots", "exercises"}

NAN = np.array([[0.0, np.nan]])
INF = np.array([[np.inf, 0.0]])
EMPTY = np.zeros((0, 3))
GOOD_Z = np.array([[0.5, -1.0]])
X2 = np.ones((3, 2))
NET = network.Network(2, [network.Layer(3, "relu"), network.Layer(1, "sigmoid")])

# name -> list of (call, exception type, message fragment that names the argument)
CASES = {
    "activations.linear": [(lambda: activations.linear(NAN), ValueError, "z must be finite")],
    "activations.sigmoid": [
        (lambda: activations.sigmoid(INF), ValueError, "z must be finite"),
        (lambda: activations.sigmoid("a"), TypeError, "z must hold real"),
    ],
    "activations.relu": [(lambda: activations.relu(EMPTY), ValueError, "z must not be empty")],
    "activations.softmax": [
        (lambda: activations.softmax(3.0), ValueError, "z must have at least"),
        (lambda: activations.softmax(NAN), ValueError, "z must be finite"),
    ],
    "activations.linear_derivative": [
        (lambda: activations.linear_derivative(INF), ValueError, "z")
    ],
    "activations.sigmoid_derivative": [
        (lambda: activations.sigmoid_derivative(NAN), ValueError, "z")
    ],
    "activations.relu_derivative": [(lambda: activations.relu_derivative(EMPTY), ValueError, "z")],
    "activations.softmax_jacobian": [
        (lambda: activations.softmax_jacobian([1.0, 2.0]), ValueError, "z must have 2 dimension")
    ],
    "activations.activate": [
        (lambda: activations.activate("elu", GOOD_Z), ValueError, "activation")
    ],
    "activations.derivative": [
        (lambda: activations.derivative("softmax", GOOD_Z), ValueError, "activation must be one")
    ],
    "activations.activate_keras": [
        (lambda: activations.activate_keras("relu", NAN), ValueError, "z must be finite")
    ],
    "activations.derivative_keras": [
        (lambda: activations.derivative_keras("softmax", GOOD_Z), ValueError, "activation")
    ],
    "activations.softmax_jacobian_keras": [
        (lambda: activations.softmax_jacobian_keras(EMPTY), ValueError, "z must not be empty")
    ],
    "losses.binary_crossentropy": [
        (lambda: losses.binary_crossentropy([[1.0]], [[1.5]]), ValueError, "p must lie in [0, 1]"),
        (lambda: losses.binary_crossentropy([[2.0]], [[0.5]]), ValueError, "y must lie in [0, 1]"),
        (lambda: losses.binary_crossentropy([1.0, 0.0], [[0.5, 0.5]]), ValueError, "same shape"),
        (lambda: losses.binary_crossentropy([np.nan], [0.5]), ValueError, "y must be finite"),
    ],
    "losses.binary_crossentropy_from_logits": [
        (
            lambda: losses.binary_crossentropy_from_logits([1.0], [np.inf]),
            ValueError,
            "z must be finite",
        ),
        (lambda: losses.binary_crossentropy_from_logits([], []), ValueError, "y must not be empty"),
    ],
    "losses.binary_crossentropy_grad_z": [
        (lambda: losses.binary_crossentropy_grad_z([1.0, 0.0], [1.0]), ValueError, "same shape")
    ],
    "losses.sparse_categorical_crossentropy": [
        (
            lambda: losses.sparse_categorical_crossentropy([3], [[0.5, 0.5]]),
            ValueError,
            "y must hold labels in 0..1",
        ),
        (
            lambda: losses.sparse_categorical_crossentropy([0.5], [[0.5, 0.5]]),
            ValueError,
            "whole-number",
        ),
        (
            lambda: losses.sparse_categorical_crossentropy([0, 1], [[0.5, 0.5]]),
            ValueError,
            "one label per row",
        ),
        (
            lambda: losses.sparse_categorical_crossentropy([0], [0.5, 0.5]),
            ValueError,
            "p must have 2",
        ),
    ],
    "losses.sparse_categorical_crossentropy_from_logits": [
        (
            lambda: losses.sparse_categorical_crossentropy_from_logits([-1], GOOD_Z),
            ValueError,
            "y must hold labels",
        ),
        (
            lambda: losses.sparse_categorical_crossentropy_from_logits([[0, 1]], GOOD_Z),
            ValueError,
            "y must have shape",
        ),
    ],
    "losses.sparse_categorical_crossentropy_grad_z": [
        (
            lambda: losses.sparse_categorical_crossentropy_grad_z([0], NAN),
            ValueError,
            "z must be finite",
        )
    ],
    "losses.logsumexp": [(lambda: losses.logsumexp([np.nan]), ValueError, "z must be finite")],
    "losses.logsumexp_keras": [
        (lambda: losses.logsumexp_keras(2.0), ValueError, "z must have at least")
    ],
    "losses.log_softmax": [(lambda: losses.log_softmax([1.0]), ValueError, "z must have 2")],
    "losses.mean_squared_error": [
        (
            lambda: losses.mean_squared_error([1.0], [1.0, 2.0]),
            ValueError,
            "y and y_hat must have the same shape",
        )
    ],
    "losses.mean_squared_error_grad_z": [
        (
            lambda: losses.mean_squared_error_grad_z([1.0], [1.0], "softmax"),
            ValueError,
            "activation",
        )
    ],
    "losses.one_hot": [
        (lambda: losses.one_hot([0, 3], 3), ValueError, "y must hold labels in 0..2")
    ],
    "losses.validate_loss": [
        (lambda: losses.validate_loss("hinge"), ValueError, "loss must be one of"),
        (lambda: losses.validate_loss("binary_crossentropy", 1), TypeError, "from_logits"),
    ],
    "losses.validate_output_layer": [
        (
            lambda: losses.validate_output_layer("mean_squared_error", "softmax"),
            ValueError,
            "activation must be one of",
        )
    ],
    "losses.validate_targets": [
        (
            lambda: losses.validate_targets("binary_crossentropy", np.ones(3), (3, 2)),
            ValueError,
            "y must have shape (3, 2)",
        )
    ],
    "losses.loss": [(lambda: losses.loss("hinge"), ValueError, "loss must be one of")],
    "losses.loss_keras": [
        (lambda: losses.loss_keras("mean_squared_error", True), ValueError, "from_logits"),
        (lambda: losses.loss_keras("mean_squared_error", reduction="avg"), ValueError, "reduction"),
    ],
    "losses.cost": [
        (
            lambda: losses.cost("sparse_categorical_crossentropy", [2], [[0.5, 0.5]]),
            ValueError,
            "y must hold labels in 0..1",
        )
    ],
    "losses.cost_keras": [
        (
            lambda: losses.cost_keras("binary_crossentropy", [1.0], [np.nan]),
            ValueError,
            "out must be finite",
        )
    ],
    "losses.output_cost_and_grad": [
        (
            lambda: losses.output_cost_and_grad("binary_crossentropy", [[1.0]], [[0.0]], "relu"),
            ValueError,
            "activation must be 'sigmoid'",
        )
    ],
    "dense.glorot_uniform": [
        (lambda: dense.glorot_uniform(0, 3, np.random.default_rng()), ValueError, "n_in")
    ],
    "dense.dense_forward": [
        (
            lambda: dense.dense_forward(X2, np.ones((3, 4)), np.zeros(4)),
            ValueError,
            "W must have 2 rows",
        ),
        (
            lambda: dense.dense_forward(X2, np.ones((2, 4)), np.zeros(3)),
            ValueError,
            "b must have shape (4,)",
        ),
        (
            lambda: dense.dense_forward(np.ones(2), np.ones((2, 4)), np.zeros(4)),
            ValueError,
            "A_in must have 2",
        ),
    ],
    "dense.dense_forward_loop": [
        (
            lambda: dense.dense_forward_loop(X2, np.ones((2, 2)), np.zeros(2), "softmax"),
            ValueError,
            "activation",
        )
    ],
    "dense.dense_backward": [
        (
            lambda: dense.dense_backward(np.ones((3, 5)), X2, np.ones((2, 4))),
            ValueError,
            "dZ must have shape",
        )
    ],
    "dense.dense_forward_keras": [
        (
            lambda: dense.dense_forward_keras(X2, np.ones((2, 4)), np.zeros(4), "tanh"),
            ValueError,
            "activation",
        )
    ],
    "network.Layer": [
        (lambda: network.Layer(0, "relu"), ValueError, "units"),
        (lambda: network.Layer(3, "swish"), ValueError, "activation"),
    ],
    "network.Network": [
        (lambda: network.Network(2, []), TypeError, "layers must be a non-empty list"),
        (lambda: network.Network(0, [network.Layer(1)]), ValueError, "n_inputs"),
        (
            lambda: network.Network(2, [network.Layer(3, "softmax"), network.Layer(1)]),
            ValueError,
            "softmax only",
        ),
        (lambda: NET.predict(np.ones((3, 5))), ValueError, "X must have shape (m, 2)"),
        (lambda: NET.set_weights([np.ones((2, 3))]), ValueError, "weights must hold 4 arrays"),
        (
            lambda: NET.set_weights([np.ones((3, 3)), 0, 0, 0]),
            ValueError,
            "weights[0] must have shape (2, 3)",
        ),
        (
            lambda: NET.fit(X2, np.ones((2, 1)), "binary_crossentropy", optimizers.Adam()),
            ValueError,
            "y must have shape (3, 1)",
        ),
        (
            lambda: NET.fit(
                X2, np.ones((3, 1)), "binary_crossentropy", optimizers.Adam(), epochs=0
            ),
            ValueError,
            "epochs",
        ),
        (
            lambda: NET.fit(
                X2, np.ones((3, 1)), "binary_crossentropy", optimizers.Adam(), batch_size=0
            ),
            ValueError,
            "batch_size",
        ),
        (
            lambda: NET.cost(X2, np.ones((3, 1)), "binary_crossentropy", from_logits=True),
            ValueError,
            "activation must be 'linear'",
        ),
        (
            lambda: NET.cost_and_gradients(X2, np.full((3, 1), 2.0), "binary_crossentropy"),
            ValueError,
            "y must lie in [0, 1]",
        ),
    ],
    "training.Model": [
        (lambda: NET.set_weights(NET.get_weights()[:2]), ValueError, "weights must hold 4 arrays"),
        (lambda: NET.fit(X2, X2[:, :1], "binary_crossentropy", "adam"), TypeError, "optimizer"),
    ],
    "training.cost_and_gradients_keras": [
        (
            lambda: training.cost_and_gradients_keras(NET.to_keras(), X2, X2, "hinge"),
            ValueError,
            "loss must be one of",
        ),
        (
            lambda: training.cost_and_gradients_keras(None, X2, X2, "binary_crossentropy"),
            TypeError,
            "model must be a keras.Model",
        ),
    ],
    "training.full_batch_dataset": [
        (
            lambda: training.full_batch_dataset(X2, np.ones(2)),
            ValueError,
            "y must have one target per row",
        ),
        (lambda: training.full_batch_dataset("X", np.ones(3)), TypeError, "X must hold"),
    ],
    "training.epochs_to_reach": [
        (lambda: training.epochs_to_reach([], 1.0), ValueError, "costs must not be empty"),
        (lambda: training.epochs_to_reach([1.0], [1.0, 2.0]), TypeError, "target must be a"),
    ],
    "optimizers.GradientDescent": [
        (lambda: optimizers.GradientDescent(-0.1), ValueError, "learning_rate"),
        (
            lambda: optimizers.GradientDescent().step([np.ones(2)], [np.ones(3)]),
            ValueError,
            "grads[0] must have shape",
        ),
        (
            lambda: optimizers.GradientDescent().step([np.ones(2)], []),
            ValueError,
            "grads must be a list of one array",
        ),
    ],
    "optimizers.Optimizer": [
        (lambda: optimizers.Optimizer().step([[1.0]], [[1.0]]), TypeError, "params[0] must be"),
    ],
    "optimizers.Adam": [
        (lambda: optimizers.Adam(beta_1=1.0), ValueError, "beta_1"),
        (lambda: optimizers.Adam(epsilon=0), ValueError, "epsilon"),
        (lambda: optimizers.Adam(learning_rate="fast"), TypeError, "learning_rate"),
        (
            lambda: optimizers.Adam().step([np.ones(2)], [np.array([np.nan, 0])]),
            ValueError,
            "grads[0] must be finite",
        ),
    ],
    "data.coffee_roasting": [(lambda: data.coffee_roasting(m=0), ValueError, "m must be")],
    "data.regression_curve": [(lambda: data.regression_curve(m=-5), ValueError, "m must be")],
    "data.digits": [(lambda: data.digits(seed=-1), ValueError, "seed must be an integer >= 0")],
    "data.four_blobs": [(lambda: data.four_blobs(m=1), ValueError, "m must be")],
    "validation.as_float_array": [
        (lambda: validation.as_float_array("q", [[1, 2], [3]]), TypeError, "q")
    ],
    "validation.as_labels": [
        (lambda: validation.as_labels("q", [1, 5], 3), ValueError, "q must hold labels")
    ],
    "validation.in_unit_interval": [
        (lambda: validation.in_unit_interval("q", np.array([2.0])), ValueError, "q")
    ],
    "validation.same_shape": [
        (lambda: validation.same_shape("a", np.ones(2), "b", np.ones(3)), ValueError, "a and b")
    ],
    "validation.positive_int": [
        (lambda: validation.positive_int("n", 2.5), TypeError, "n must be an integer"),
        (lambda: validation.positive_int("n", 0), ValueError, "n must be an integer >= 1"),
    ],
    "validation.as_number": [
        (lambda: validation.as_number("x", np.inf), ValueError, "x must be a finite"),
        (lambda: validation.as_number("x", True), TypeError, "x must be a number"),
    ],
    "validation.as_int": [
        (lambda: validation.as_int("n", 3, at_most=2), ValueError, "n must be an integer <= 2")
    ],
    "validation.as_seed": [(lambda: validation.as_seed("seed", -1), ValueError, "seed")],
    "validation.as_generator": [(lambda: validation.as_generator("rng", 0), TypeError, "rng")],
    "validation.as_float_dtype": [
        (lambda: validation.as_float_dtype("dtype", "int32"), ValueError, "dtype must be float")
    ],
    "validation.as_bool": [(lambda: validation.as_bool("flag", 1), TypeError, "flag")],
    "validation.as_choice": [(lambda: validation.as_choice("c", "x", ("a",)), ValueError, "c")],
    "validation.as_callable": [
        (lambda: validation.as_callable("f", 1, "a function"), TypeError, "f must be a function")
    ],
    "validation.as_array_list": [
        (lambda: validation.as_array_list("grads", []), TypeError, "grads must be a non-empty")
    ],
    "validation.common_float": [
        (lambda: validation.common_float(np.ones(1), [1.0]), TypeError, "arrays[1] must be")
    ],
    "validation.matching_arrays": [
        (
            lambda: validation.matching_arrays("y", [1.0], "p", [1.0, 2.0]),
            ValueError,
            "y and p must have the same shape",
        )
    ],
    "validation.labels_for_rows": [
        (
            lambda: validation.labels_for_rows("y", [0, 1], "z", np.ones((3, 2))),
            ValueError,
            "y must hold one label per row of z",
        )
    ],
}


def _all_cases():
    cases = dict(CASES)
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        if path.stem != Path(__file__).stem:
            extra = getattr(importlib.import_module(path.stem), "BAD_INPUT", {})
            assert not set(extra) & set(cases), f"{path.name} repeats cases"
            cases.update(extra)
    return cases


ALL_CASES = _all_cases()


def _public_functions():
    for info in pkgutil.iter_modules(utils.__path__):
        if info.name in EXEMPT_MODULES:
            continue
        module = importlib.import_module(f"utils.{info.name}")
        for name, obj in vars(module).items():
            if (
                not name.startswith("_")
                and (inspect.isfunction(obj) or inspect.isclass(obj))
                and obj.__module__ == module.__name__
                and not _is_plain_record(obj)
            ):
                yield f"{info.name}.{name}"


def _is_plain_record(obj):
    """Records without checks hold values, not inputs: dataclasses without ``__post_init__``
    (e.g. data.Split, exercises.Case) and named tuples (e.g. training.LayerCache)."""
    if not inspect.isclass(obj):
        return False
    if hasattr(obj, "__dataclass_fields__"):
        return not hasattr(obj, "__post_init__")
    return issubclass(obj, tuple) and hasattr(obj, "_fields")


def test_every_public_function_is_covered():
    missing = sorted(set(_public_functions()) - set(ALL_CASES))
    assert not missing, f"add bad-input cases for: {missing}"


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_bad_input_is_refused_with_a_message(name):
    for call, error, fragment in ALL_CASES[name]:
        with pytest.raises(error) as info:
            call()
        assert fragment in str(info.value), f"{name}: {info.value!r} does not mention {fragment!r}"
