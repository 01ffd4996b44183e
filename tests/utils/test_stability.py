"""Round-off and the naive vs stable formulas of Lab 4, against Keras/TensorFlow.

The naive formulas must break exactly where the lab says they do (inf/nan), and the stable
ones must equal TensorFlow's in float64 (tolerance TOL64 = 1e-12 unless stated).
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.support.numerics import TOL64, max_diff
from utils import losses, stability
from utils.activations import sigmoid, softmax

Z = np.array([1.0, 10.0, 20.0, 30.0, 35.0, 36.0, 37.0, 40.0, 100.0, 800.0])


def test_roundoff_values_are_the_ieee_results():
    """Exact: IEEE division and subtraction are correctly rounded on every CPU."""
    direct, via = stability.roundoff_two_ways()
    assert direct == 2 / 10000 and via == (1 + 1 / 10000) - (1 - 1 / 10000)
    assert f"{direct:.18f}" == "0.000200000000000000"
    assert f"{via:.18f}" == "0.000199999999999978"
    direct32, via32 = stability.roundoff_two_ways(dtype="float32")
    assert f"{direct32:.18f}" == "0.000199999994947575"
    assert f"{via32:.18f}" == "0.000200033187866211"


def test_naive_sigmoid_matches_stable_until_it_saturates():
    z = np.linspace(-30, 30, 61)
    assert max_diff(stability.naive_sigmoid(z), sigmoid(z)) <= 1e-15
    assert stability.naive_sigmoid(37.0) == 1.0 and stability.naive_sigmoid(36.0) < 1.0
    assert stability.naive_sigmoid(np.float32(17.0)) == 1.0
    assert stability.naive_sigmoid(np.float32(16.0)) < 1.0
    assert stability.naive_sigmoid(-800.0) == 0.0  # e^800 overflows to inf, 1/inf = 0


def test_naive_bce_is_inf_or_nan_where_the_lab_says():
    y0 = np.zeros_like(Z)
    naive = stability.naive_sigmoid_bce(y0, Z)
    assert np.all(np.isfinite(naive[Z <= 36])) and np.all(np.isinf(naive[Z >= 37]))
    naive32 = stability.naive_sigmoid_bce(y0.astype(np.float32), Z.astype(np.float32))
    assert np.isfinite(naive32[1]) and np.all(np.isinf(naive32[Z >= 20]))
    assert np.isinf(stability.naive_sigmoid_bce([1.0], [-800.0])[0])  # -log 0
    assert np.isnan(stability.naive_sigmoid_bce([0.0], [-800.0])[0])  # 0 * log 0
    assert np.isnan(stability.naive_bce([0.0], [0.0])[0]) and np.isinf(
        stability.naive_bce([0.0], [1.0])[0]
    )


def test_naive_bce_loses_digits_before_it_overflows():
    """Relative error against the exact z + log1p(e^-z): tiny at z = 1, 3e-5 at z = 30."""
    exact = Z[:6] + np.log1p(np.exp(-Z[:6]))
    rel = np.abs(stability.naive_sigmoid_bce(np.zeros(6), Z[:6]) - exact) / exact
    assert rel[0] <= 1e-15 and 1e-5 <= rel[3] <= 1e-4 and rel[4] >= 1e-3


def test_hand_written_keras_loss_is_the_naive_formula():
    """Tolerance TOL64 where finite; inf where the naive formula is inf."""
    y = np.array([[0.0], [1.0], [1.0]])
    p = np.array([[0.2], [0.7], [0.99]])
    got = float(stability.naive_bce_loss(tf.constant(y), tf.constant(p)))
    assert abs(got - stability.naive_bce(y, p).mean()) <= TOL64
    assert np.isinf(float(stability.naive_bce_loss(np.array([[0.0]]), np.array([[1.0]]))))


def test_naive_softmax_and_logsumexp_overflow_where_claimed():
    z = np.array([[1000.0, 0.0, -5.0], [1.0, 2.0, 3.0], [-1e4, 0.0, 1e4]])
    assert max_diff(stability.naive_softmax(z[1:2]), softmax(z[1:2])) <= 1e-15
    assert np.isnan(stability.naive_softmax(z[:1])[0, 0]) and np.isinf(
        stability.naive_logsumexp(z[:1])[0]
    )
    assert losses.logsumexp(z[:1])[0] == 1000.0
    assert np.isnan(stability.naive_softmax(np.float32([[89.0, 0.0]]))[0, 0])
    assert np.isfinite(stability.naive_softmax(np.float32([[88.0, 0.0]]))).all()


def test_naive_softmax_crossentropy_breaks_where_claimed():
    """The naive form is inf (a_y = 0 / inf) or nan (inf / inf); else equal within TOL64."""
    z = np.array([[0.0, 1000.0], [0.0, 1000.0], [3.0, -1.0], [-1e4, 1e4]])
    y = np.array([0, 1, 0, 0])
    stable = losses.sparse_categorical_crossentropy_from_logits(y, z, reduce=False)
    naive = stability.naive_softmax_crossentropy(y, z)
    assert np.isinf(naive[0]) and np.isnan(naive[1]) and abs(naive[2] - stable[2]) <= TOL64
    assert np.isinf(stability.naive_softmax_crossentropy([1], [[0.0, -800.0]])[0])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_keras_paths_rescue_only_the_sigmoid_layer(dtype):
    """J and dJ/dz per path; by-hand expectations within 1e-12 (float64) or 1e-5 (float32)."""
    tol = 1e-12 if dtype == np.float64 else 1e-5
    y = np.zeros(3, dtype)
    z = np.array([2.0, 20.0, 40.0], dtype)
    exact = losses.binary_crossentropy_from_logits(y, z.astype(np.float64), reduce=False)
    grad = (sigmoid(z.astype(np.float64)) - y) / 3
    for path in ("from_logits", "sigmoid_layer"):
        J, dz = stability.bce_along_path(y, z, path)
        assert abs(J - exact.mean()) <= tol * 100 and max_diff(dz, grad) <= tol
    J, dz = stability.bce_along_path(y, z, "probabilities")
    assert J == pytest.approx(losses.binary_crossentropy(y, sigmoid(z)), rel=tol)
    assert dz[0] == pytest.approx(grad[0], abs=tol) and np.all(dz[1:] == 0)
    J, dz = stability.bce_along_path(y, z, "hand_written")
    assert np.isinf(J) and np.isnan(dz[-1])


def test_a_cast_between_sigmoid_output_and_loss_drops_the_logits():
    """A float32 sigmoid output fed to a float64 loss is cast, and the cast loses the logits."""
    z = tf.constant([40.0], tf.float32)
    J = keras.losses.BinaryCrossentropy(dtype="float64")(
        tf.constant([0.0], tf.float64), keras.activations.sigmoid(z)
    )
    assert float(J) == pytest.approx(-np.log(1e-7), abs=1e-3)
