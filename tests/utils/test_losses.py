"""Losses and their gradients by hand against keras.losses and tf.GradientTape."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tests.support.numerics import TOL64, max_diff
from utils import losses
from utils.activations import sigmoid, softmax
from utils.network import Layer, Network


@pytest.fixture
def binary(rng):
    y = rng.integers(0, 2, size=(12, 3)).astype(float)
    z = rng.normal(size=(12, 3)) * 4
    return y, z


@pytest.fixture
def classes(rng):
    y = rng.integers(0, 5, size=12)
    z = rng.normal(size=(12, 5)) * 4
    return y, z


def test_bce_matches_keras(binary):
    """Tolerance TOL64 = 1e-12, from probabilities (clipped) and from logits."""
    y, z = binary
    p = sigmoid(z)
    p[0, 0], p[1, 1] = 0.0, 1.0  # exercise Keras's clipping
    assert (
        abs(losses.binary_crossentropy(y, p) - losses.cost_keras("binary_crossentropy", y, p))
        <= TOL64
    )
    assert (
        abs(
            losses.binary_crossentropy_from_logits(y, z)
            - losses.cost_keras("binary_crossentropy", y, z, from_logits=True)
        )
        <= TOL64
    )


def test_scce_matches_keras(classes):
    y, z = classes
    p = softmax(z)
    p[0] = [1.0, 0, 0, 0, 0]  # exercise clipping and renormalisation
    assert (
        abs(
            losses.sparse_categorical_crossentropy(y, p)
            - losses.cost_keras("sparse_categorical_crossentropy", y, p)
        )
        <= TOL64
    )
    assert (
        abs(
            losses.sparse_categorical_crossentropy_from_logits(y, z)
            - losses.cost_keras("sparse_categorical_crossentropy", y, z, from_logits=True)
        )
        <= TOL64
    )
    assert (
        abs(
            losses.sparse_categorical_crossentropy_from_logits(y[:, None], z)
            - losses.sparse_categorical_crossentropy_from_logits(y, z)
        )
        == 0
    )


def test_mse_matches_keras(rng):
    y, y_hat = rng.normal(size=(10, 2)), rng.normal(size=(10, 2))
    assert (
        abs(losses.mean_squared_error(y, y_hat) - losses.cost_keras("mean_squared_error", y, y_hat))
        <= TOL64
    )


def _tape_grad(loss_name, y, z, activation, from_logits):
    """dJ/dz through Keras's loss applied to g(z), by tf.GradientTape."""
    import keras

    zt = tf.Variable(z)
    loss = losses.loss_keras(loss_name, from_logits)
    with tf.GradientTape() as tape:
        out = zt if from_logits else keras.activations.get(activation)(zt)
        J = loss(tf.constant(y), out)
    return float(J), tape.gradient(J, zt).numpy()


@pytest.mark.parametrize(
    "loss_name,activation,from_logits",
    [
        ("binary_crossentropy", "sigmoid", False),
        ("binary_crossentropy", "linear", True),
        ("sparse_categorical_crossentropy", "softmax", False),
        ("sparse_categorical_crossentropy", "linear", True),
        ("mean_squared_error", "linear", False),
        ("mean_squared_error", "relu", False),
        ("mean_squared_error", "sigmoid", False),
    ],
)
def test_output_cost_and_grad_match_gradient_tape(
    loss_name, activation, from_logits, binary, classes
):
    """Cost and dJ/dz as Keras computes them on a model output (logits shortcut included)."""
    y, z = classes if loss_name.startswith("sparse") else binary
    J, dz = losses.output_cost_and_grad(loss_name, y, z, activation, from_logits)
    J_tf, dz_tf = _tape_grad(loss_name, y, z, activation, from_logits)
    assert abs(J - J_tf) <= TOL64
    assert max_diff(dz, dz_tf) <= TOL64


def test_logits_shortcut_is_what_keras_does():
    """Keras 3 (TensorFlow backend): a sigmoid output with z = 30 and y = 0 gives BCE 30
    through the model's tensors (the logits are used), -log(1e-7) = 16.12 (clipped) when the
    same probabilities arrive as a plain array."""
    y, z = np.array([[0.0]]), np.array([[30.0]])
    assert losses.output_cost_and_grad("binary_crossentropy", y, z, "sigmoid")[0] == pytest.approx(
        30.0
    )
    J, _ = _tape_grad("binary_crossentropy", y, z, "sigmoid", False)
    assert J == pytest.approx(30.0)
    plain = losses.binary_crossentropy(y, sigmoid(z))
    assert plain == pytest.approx(-np.log(1e-7), rel=1e-6)
    assert plain == pytest.approx(
        losses.cost_keras("binary_crossentropy", y, sigmoid(z)), abs=TOL64
    )


def test_wrong_pairing_is_refused():
    with pytest.raises(ValueError, match="needs a 'linear' output layer"):
        losses.output_cost_and_grad("binary_crossentropy", [[1.0]], [[0.0]], "sigmoid", True)
    with pytest.raises(ValueError, match="needs a 'softmax' output layer"):
        losses.output_cost_and_grad("sparse_categorical_crossentropy", [0], [[0.0, 1]], "linear")
    with pytest.raises(ValueError, match="no from_logits form"):
        losses.validate_loss("mean_squared_error", from_logits=True)


huge = st.floats(-1e4, 1e4, allow_nan=False)


@given(arrays(np.float64, st.integers(1, 6), elements=huge), st.integers(0, 2**32 - 1))
def test_stable_bce_finite_and_exact_for_huge_logits(z, seed):
    """From logits: finite, and equal to the exact log(1 + e^-z) / log(1 + e^z) limit forms."""
    y = np.random.default_rng(seed).integers(0, 2, size=z.shape).astype(float)
    J = losses.binary_crossentropy_from_logits(y, z)
    exact = np.mean(np.where(y == 1, np.logaddexp(0, -z), np.logaddexp(0, z)))
    assert np.isfinite(J) and J == pytest.approx(exact, rel=1e-12, abs=1e-300)


def test_naive_bce_is_inf_where_stable_is_exact():
    z, y = np.array([1e4]), np.array([0.0])
    with np.errstate(divide="ignore"):
        naive = -np.log(1 - sigmoid(z))
    assert np.isinf(naive).all()
    assert losses.binary_crossentropy_from_logits(y, z) == 1e4


@given(
    arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 6)), elements=huge),
    st.integers(0, 2**32 - 1),
)
def test_stable_scce_finite_and_exact_for_huge_logits(z, seed):
    y = np.random.default_rng(seed).integers(0, z.shape[1], size=len(z))
    J = losses.sparse_categorical_crossentropy_from_logits(y, z)
    from scipy.special import logsumexp

    exact = np.mean(logsumexp(z, axis=1) - z[np.arange(len(y)), y])
    assert np.isfinite(J) and J == pytest.approx(exact, rel=1e-12, abs=1e-9)


def test_naive_softmax_cross_entropy_is_nan_for_huge_logits():
    z = np.array([[500.0, 600, 700, 800]])
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(z) / np.exp(z).sum()
    assert np.isnan(naive).any()  # e^800 overflows to inf, and inf/inf is nan
    assert losses.sparse_categorical_crossentropy_from_logits([0], z) == pytest.approx(300.0)


def test_one_hot():
    assert losses.one_hot([2, 0], 3).tolist() == [[0, 0, 1], [1, 0, 0]]


def test_per_entry_bce_matches_keras_and_tensorflow():
    """reduce=False: each entry's loss, within TOL64 of Keras (reduction=None) and tf.nn;
    the mean is the cost; clipped losses never exceed -log(1e-7) = 16.118."""
    z = np.array([1.0, 10.0, 37.0, 800.0, -30.0, 0.0, 1e4, -1e4])
    y = np.tile([0.0, 1.0], 4)
    each = losses.binary_crossentropy_from_logits(y, z, reduce=False)
    assert each.shape == z.shape
    assert max_diff(each, tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z)) <= TOL64
    assert (
        max_diff(each, losses.cost_keras("binary_crossentropy", y, z, True, reduce=False)) <= TOL64
    )
    assert abs(each.mean() - losses.binary_crossentropy_from_logits(y, z)) <= TOL64
    p = np.array([0.3, 1.0, 0.0, 0.9, 1 - 1e-12, 0.5, 1e-3, 0.2])
    clipped = losses.binary_crossentropy(y, p, reduce=False)
    assert max_diff(clipped, losses.cost_keras("binary_crossentropy", y, p, reduce=False)) <= TOL64
    assert clipped.max() == pytest.approx(-np.log(1e-7), abs=1e-6)


def test_logsumexp_and_per_example_cross_entropy_match_keras_and_tensorflow():
    """Tolerance TOL64, logits up to 1e4."""
    z = np.array([[1000.0, 0.0, -5.0], [1.0, 2.0, 3.0], [-1e4, 0.0, 1e4]])
    y = np.array([0, 2, 0])
    assert max_diff(losses.logsumexp(z), losses.logsumexp_keras(z)) <= TOL64
    assert losses.logsumexp(z[:1])[0] == 1000.0
    each = losses.sparse_categorical_crossentropy_from_logits(y, z, reduce=False)
    assert (
        max_diff(each, tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=z)) <= TOL64
    )
    keras_each = losses.cost_keras("sparse_categorical_crossentropy", y, z, True, reduce=False)
    assert max_diff(each, keras_each) <= TOL64
    assert abs(each.mean() - losses.sparse_categorical_crossentropy_from_logits(y, z)) <= TOL64


def test_categorical_crossentropy_matches_keras_and_sparse(rng):
    """One-hot CCE equals Keras's CategoricalCrossentropy and the sparse cost, within 1e-12."""
    y = rng.integers(0, 5, size=15)
    p = softmax(rng.normal(size=(15, 5)) * 3)
    p[0] = [1.0, 0, 0, 0, 0]  # Keras clips to [1e-7, 1 - 1e-7]
    p[1] = p[1] * 0.7  # a row that does not sum to 1: Keras divides by the sum first
    Y = losses.one_hot(y, 5)
    J = losses.categorical_crossentropy(Y, p)
    assert abs(J - losses.categorical_crossentropy_keras(Y, p)) <= TOL64
    q = softmax(rng.normal(size=(15, 5)))
    assert (
        abs(
            losses.categorical_crossentropy(Y, q) - losses.sparse_categorical_crossentropy(y, q)
        )
        <= TOL64
    )


def test_multilabel_cost_matches_keras_including_outputs_of_0_and_1(rng):
    """By-hand BCE over (m, 3) equals keras.losses.BinaryCrossentropy within 1e-12."""
    Y = (rng.uniform(size=(20, 3)) < 0.5).astype(float)
    for P in (rng.uniform(size=(20, 3)), Y, 1 - Y):
        assert (
            abs(losses.binary_crossentropy(Y, P) - losses.cost_keras("binary_crossentropy", Y, P))
            <= TOL64
        )


# -- The one dtype rule of the losses: targets take the outputs' float type, as Keras casts the


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
