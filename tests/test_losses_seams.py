"""The one dtype rule of the losses: targets take the outputs' float type, as Keras casts them.

Keras's loss functions cast ``y_true`` to ``y_pred``'s dtype, so integer, bool, float32 and
float64 targets give the same number; the by-hand losses must too, in float32 and float64.
"""

import keras
import numpy as np
import pytest

from utils import losses
from utils.network import Layer, Network

TOL = {"float32": 1e-6, "float64": 1e-12}  # relative: round-off of the outputs' float type
RNG = np.random.default_rng(5)
# 0/1 targets, as ints; the last row's probabilities reach the clip at 1 - 1e-7 where y = 0,
# which float32 and float64 round differently (Keras: float32's, for float32 outputs)
BITS = np.concatenate([RNG.integers(0, 2, size=(15, 3)), [[0, 1, 1]]])
P = np.concatenate([RNG.uniform(0.01, 0.99, size=(15, 3)), [[1.0, 0.0, 0.0951]]])
Z = RNG.normal(size=(16, 3)) * 4
TARGETS = {  # the same 0/1 targets as every kind of array
    "int": BITS,
    "bool": BITS.astype(bool),
    "float32": BITS.astype(np.float32),
    "float64": BITS.astype(np.float64),
}

# by-hand cost(y, out) -> Keras's per-row loss function(y_true, y_pred) (its mean is J)
PAIRS = {
    "binary_crossentropy": (losses.binary_crossentropy, keras.losses.binary_crossentropy, P),
    "binary_crossentropy_from_logits": (
        losses.binary_crossentropy_from_logits,
        lambda y, z: keras.losses.binary_crossentropy(y, z, from_logits=True),
        Z,
    ),
    "mean_squared_error": (losses.mean_squared_error, keras.losses.mean_squared_error, Z),
    "categorical_crossentropy": (
        losses.categorical_crossentropy,
        keras.losses.categorical_crossentropy,
        P,
    ),
}


def _keras_cost(keras_loss, y, out):
    return float(keras.ops.mean(keras_loss(y, keras.ops.convert_to_tensor(out))))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kind", sorted(TARGETS))
@pytest.mark.parametrize("name", sorted(PAIRS))
def test_targets_take_the_outputs_type_as_in_keras(name, kind, dtype):
    ours, theirs, out = PAIRS[name]
    out = out.astype(dtype)
    y = TARGETS[kind]
    expected = _keras_cost(theirs, y, out)
    assert ours(y, out) == pytest.approx(expected, rel=TOL[dtype])


def test_the_issue_example_is_keras_number():
    """Integer targets no longer pull float32 probabilities into float64: the clip at
    1 - 1e-7 happens in float32, as in Keras (9.1476, not float64's 9.2355)."""
    y, p = np.array([1, 0]), np.float32([0.0951, 1.0])
    expected = _keras_cost(keras.losses.binary_crossentropy, y, p)
    assert losses.binary_crossentropy(y, p) == pytest.approx(expected, rel=1e-6)
    in_float64 = losses.binary_crossentropy(y, p.astype(np.float64))
    assert abs(losses.binary_crossentropy(y, p) - in_float64) > 0.05


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_cost_keras_and_validate_targets_follow_the_rule(kind, dtype):
    y, p = TARGETS[kind], P.astype(dtype)
    assert losses.cost("binary_crossentropy", y, p) == pytest.approx(
        losses.cost_keras("binary_crossentropy", y, p), rel=TOL[dtype]
    )
    checked = losses.validate_targets("binary_crossentropy", y, p.shape, dtype)
    assert checked.dtype == np.dtype(dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_model_casts_targets_once_to_its_float_type(dtype):
    """Integer targets of a float32 (or float64) network: the by-hand cost is Keras's."""
    net = Network(3, [Layer(4, "relu"), Layer(3, "sigmoid")], seed=1, dtype=dtype)
    X = RNG.normal(size=(16, 3))
    model = net.to_keras()
    model.compile(loss=keras.losses.BinaryCrossentropy(dtype=dtype))
    expected = float(model.evaluate(X.astype(dtype), BITS, verbose=0))
    assert net.cost(X, BITS, "binary_crossentropy") == pytest.approx(expected, rel=TOL[dtype])


def test_validate_output_layer_returns_the_kernels_it_checked():
    spec = losses.validate_output_layer("sparse_categorical_crossentropy", "linear", True)
    assert spec is losses.LOSSES["sparse_categorical_crossentropy"]


