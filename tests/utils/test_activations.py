"""Activations by hand against keras.activations and tf.GradientTape."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tests.support.numerics import TOL64, max_diff
from utils import activations as act

Z = np.array([[-1e4, -30.0, -1.0, 0.0, 1e-3, 2.5, 30.0, 1e4]])


@pytest.mark.parametrize("name", act.NAMES)
def test_activation_matches_keras_float64(name):
    """Agreement tolerance: TOL64 = 1e-12, including |z| = 1e4."""
    assert max_diff(act.activate(name, Z), act.activate_keras(name, Z)) <= TOL64


@pytest.mark.parametrize("name", act.NAMES)
def test_activation_matches_keras_float32(name):
    """float32 in, float32 out; agreement within 1e-6 (float32 round-off)."""
    z = Z.astype(np.float32)
    ours, theirs = act.activate(name, z), act.activate_keras(name, z)
    assert ours.dtype == np.float32
    assert max_diff(ours, theirs) <= 1e-6


@pytest.mark.parametrize("name", act.ELEMENTWISE)
def test_derivative_matches_gradient_tape(name):
    """Elementwise derivatives agree with tf.GradientTape within 1e-12 (relu'(0) = 0 in both)."""
    assert max_diff(act.derivative(name, Z), act.derivative_keras(name, Z)) <= TOL64


def test_softmax_jacobian_matches_batch_jacobian(rng):
    z = rng.normal(size=(5, 4)) * 3
    assert max_diff(act.softmax_jacobian(z), act.softmax_jacobian_keras(z)) <= TOL64


def test_sigmoid_has_no_overflow_warning():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        s = act.sigmoid(np.array([-1e4, -745.0, 0.0, 745.0, 1e4]))
    assert s.tolist() == [0.0, pytest.approx(0.0), 0.5, 1.0, 1.0]


def test_softmax_of_huge_logits_is_exact():
    assert act.softmax(np.array([1000.0, 0.0])).tolist() == [1.0, 0.0]
    assert np.allclose(
        act.softmax(np.array([500.0, 600, 700, 800])), act.softmax(np.array([0.0, 100, 200, 300]))
    )


finite = st.floats(-1e4, 1e4, allow_nan=False)


@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)), elements=finite))
def test_softmax_rows_sum_to_one(z):
    a = act.softmax(z)
    assert np.all(a >= 0) and np.all(np.isfinite(a))
    assert np.allclose(a.sum(axis=1), 1.0, atol=1e-12)


@given(arrays(np.float64, st.integers(1, 6), elements=st.floats(-50, 50)), st.floats(-1e3, 1e3))
def test_softmax_is_shift_invariant(z, c):
    assert np.allclose(act.softmax(z + c), act.softmax(z), atol=1e-12)


@given(arrays(np.float64, st.integers(1, 8), elements=finite))
def test_sigmoid_in_unit_interval_and_symmetric(z):
    s = act.sigmoid(z)
    assert np.all((s >= 0) & (s <= 1))
    assert np.allclose(s + act.sigmoid(-z), 1.0, atol=1e-15)


def test_relu_derivative_and_linear_derivative():
    assert act.relu_derivative([-1.0, 0.0, 2.0]).tolist() == [0.0, 0.0, 1.0]
    assert act.linear_derivative([[-3.0, 4.0]]).tolist() == [[1.0, 1.0]]
    assert act.sigmoid_derivative(0.0) == 0.25
