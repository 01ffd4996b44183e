"""Lab 8's checkers: the Dense layer's backward pass and the sigmoid unit's gradients."""

import math

import numpy as np
import pytest

from tests.support.answers import assert_catalogue, run
from tests.support.numerics import TOL64, max_diff
from utils.dense import DENSE
from utils.exercises import lab08
from utils.gradient_check import numerical_gradients


def dense_cases():
    """The backward checker's cases on the notebook's inputs and on a grader's other seed."""
    check = lab08.check_my_dense_backward
    return check.expected() + check.expected(np.random.default_rng(12345))


def layer_cost(dZ, Z0):
    """J(A_in, W, b) with Z = A_in W + b, whose dJ/dZ at Z = Z0 is ``dZ``:
    sum(dZ * Z) + 1/2 ||Z - Z0||^2 (not linear, so a central difference has work to do)."""

    def cost(params):
        A_in, W, b = params
        Z = A_in @ W + b
        return float(np.sum(dZ * Z) + 0.5 * np.sum((Z - Z0) ** 2))

    return cost


@pytest.mark.parametrize("case", dense_cases(), ids=lambda c: c.hint)
def test_the_reference_backward_pass_agrees_with_central_differences(case):
    """What the checker expects, (dW, db, dA_in), is dJ/d(W, b, A_in) by central differences
    on a cost whose dJ/dZ is the case's dZ (the layer's b: any vector; here 0.3 each)."""
    dZ, A_in, W = case.args
    b = np.full(W.shape[1], 0.3)
    numerical, _ = numerical_gradients(layer_cost(dZ, A_in @ W + b), [A_in, W, b], eps=1e-6)
    dW, db, dA_in = case.expected
    assert max_diff([dW, db, dA_in], [numerical[1], numerical[2], numerical[0]]) < 1e-8


@pytest.mark.parametrize("case", dense_cases(), ids=lambda c: c.hint)
def test_the_reference_backward_pass_agrees_with_gradient_tape(case):
    """... and what tf.GradientTape gets through one keras Dense layer, within 1e-12."""
    import keras
    import tensorflow as tf

    dZ, A_in, W = case.args
    layer = keras.layers.Dense(W.shape[1], dtype="float64")
    layer.build((None, W.shape[0]))
    layer.set_weights([W, np.zeros(W.shape[1])])
    A = tf.constant(A_in)
    with tf.GradientTape() as tape:
        tape.watch(A)
        J = tf.reduce_sum(dZ * layer(A))  # dJ/dZ = dZ
    dW, db, dA_in = tape.gradient(J, [layer.kernel, layer.bias, A])
    assert max_diff(case.expected, (dW.numpy(), db.numpy(), dA_in.numpy())) <= TOL64


def test_dense_backward_mistakes_are_named(capsys):
    def no_transpose(dZ, A_in, W):  # dA_in with W, not W.T
        return A_in.T @ dZ, dZ.sum(axis=0), dZ @ W

    def dW_transposed(dZ, A_in, W):  # dW shaped like W.T
        return dZ.T @ A_in, dZ.sum(axis=0), dZ @ W.T

    def columns(dZ, A_in, W):  # the formula for examples in columns
        return np.dot(dZ, A_in.T), np.sum(dZ, axis=0), np.dot(dZ, W.T)

    def outer_of_sums(dZ, A_in, W):  # sum over the examples first, then multiply
        return np.outer(A_in.sum(axis=0), dZ.sum(axis=0)), dZ.sum(axis=0), dZ @ W.T

    def dA_transposed(dZ, A_in, W):  # dA_in shaped like A_in.T
        return A_in.T @ dZ, dZ.sum(axis=0), W @ dZ.T

    def db_over_units(dZ, A_in, W):  # db summed over axis 1
        return A_in.T @ dZ, dZ.sum(axis=1), dZ @ W.T

    def db_not_summed(dZ, A_in, W):  # db = dZ
        return A_in.T @ dZ, dZ, dZ @ W.T

    def db_total(dZ, A_in, W):  # db summed over both axes
        return A_in.T @ dZ, np.sum(dZ), dZ @ W.T

    def db_keepdims(dZ, A_in, W):  # db of shape (1, units)
        return A_in.T @ dZ, np.sum(dZ, axis=0, keepdims=True), dZ @ W.T

    def db_squeezed(dZ, A_in, W):  # a db of one unit squeezed to a number
        return A_in.T @ dZ, np.squeeze(np.sum(dZ, axis=0, keepdims=True)), dZ @ W.T

    def db_mean(dZ, A_in, W):  # db averaged: the 1/m a second time
        return A_in.T @ dZ, dZ.mean(axis=0), dZ @ W.T

    def over_m(dZ, A_in, W):  # dW = 1/m A^T dZ, db = 1/m sum dZ: the 1/m a second time
        m = dZ.shape[0]
        return A_in.T @ dZ / m, np.sum(dZ, axis=0) / m, dZ @ W.T

    def prev_first(dZ, A_in, W):  # (dA_prev, dW, db), the order of another course
        dA_prev = dZ @ W.T
        return dA_prev, A_in.T @ dZ, dZ.sum(axis=0)

    def in_place(dZ, A_in, W):  # db = dZ[0] is a view: += adds into the caller's dZ
        dW, dA_in = A_in.T @ dZ, dZ @ W.T
        db = dZ[0]
        for row in dZ[1:]:
            db += row
        return dW, db, dA_in

    def loops(dZ, A_in, W):  # one example at a time
        dW, db = np.zeros(W.shape), np.zeros(W.shape[1])
        dA_in = np.zeros(A_in.shape)
        for i in range(dZ.shape[0]):
            dW += np.outer(A_in[i], dZ[i])
            db += dZ[i]
            dA_in[i] = W @ dZ[i]
        return dW, db, dA_in

    def with_einsum(dZ, A_in, W):
        dW = np.einsum("mi,mu->iu", A_in, dZ)
        return dW, np.einsum("mu->u", dZ), np.einsum("mu,iu->mi", dZ, W)

    def in_float32(dZ, A_in, W):  # the right formulas in float32 (about 7 digits)
        dZ, A_in, W = (x.astype(np.float32) for x in (dZ, A_in, W))
        return A_in.T @ dZ, dZ.sum(axis=0), dZ @ W.T

    assert_catalogue(
        lab08.check_my_dense_backward,
        [
            (no_transpose, "dA_in needs W transposed"),
            (dW_transposed, "dW is transposed"),
            (columns, "the formula for examples in columns"),
            (outer_of_sums, "not the product of the sums"),
            (dA_transposed, "dA_in is transposed"),
            (db_over_units, "not over the units (axis 1)"),
            (db_not_summed, "sum dZ over the examples"),
            (db_total, "sum over the examples only"),
            (db_keepdims, "without keepdims=True"),
            (db_squeezed, "do not squeeze it"),
            (db_mean, "not their mean"),
            (over_m, "do not divide dW and db by m again"),
            (prev_first, "return (dW, db, dA_in), in that order"),
            (in_place, "changed its argument dZ in place"),
        ],
        [loops, with_einsum, in_float32],
        capsys,
    )


def test_a_stub_is_told_what_is_expected(capsys):
    """The stub's line: the first case's expected (dW, db, dA_in), to be read in a notebook."""
    result = lab08.check_my_dense_backward(lambda dZ, A_in, W: None)
    out = capsys.readouterr().out
    assert not result.passed and out.startswith("✗ check 1/3 (3 examples, 2 inputs, 2 units)")
    assert max(len(line) for line in out.splitlines()) <= 79


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_sigmoid_unit_gradient_mistakes_are_named(capsys):
    def no_slope(x, w, b, y):  # g'(z) forgotten
        a = sigmoid(w * x + b)
        return (a - y) * x, a - y

    def no_cost_slope(x, w, b, y):  # dJ/da = a - y forgotten
        a = sigmoid(w * x + b)
        return a * (1 - a) * x, a * (1 - a)

    def slope_of_z(x, w, b, y):  # g'(z) written z (1 - z)
        z = w * x + b
        dz = (sigmoid(z) - y) * z * (1 - z)
        return dz * x, dz

    def flipped(x, w, b, y):  # y - a
        a = sigmoid(w * x + b)
        dz = (y - a) * a * (1 - a)
        return dz * x, dz

    def doubled(x, w, b, y):  # the 1/2 of J forgotten
        a = sigmoid(w * x + b)
        dz = 2 * (a - y) * a * (1 - a)
        return dz * x, dz

    def no_x(x, w, b, y):  # dJ/dw = dJ/dz
        a = sigmoid(w * x + b)
        dz = (a - y) * a * (1 - a)
        return dz, dz

    def x_in_b(x, w, b, y):  # dJ/db = dJ/dz * x
        a = sigmoid(w * x + b)
        dz = (a - y) * a * (1 - a)
        return dz * x, dz * x

    def swapped(x, w, b, y):  # (dJ/db, dJ/dw)
        a = sigmoid(w * x + b)
        dz = (a - y) * a * (1 - a)
        return dz, dz * x

    def overflowing(x, w, b, y):  # the sigmoid written e^z / (1 + e^z)
        z = w * x + b
        a = np.exp(z) / (1 + np.exp(z))
        dz = (a - y) * a * (1 - a)
        return dz * x, dz

    def chain(x, w, b, y):  # one local derivative per node, multiplied
        z = w * x + b
        a = math.exp(-math.log1p(math.exp(-z)))
        dJ_da, da_dz, dz_dw, dz_db = a - y, math.exp(-z) * a * a, x, 1.0
        return dJ_da * da_dz * dz_dw, dJ_da * da_dz * dz_db

    def in_float32(x, w, b, y):  # the right formula in float32 (about 7 digits)
        x, w, b, y = (np.float32(v) for v in (x, w, b, y))
        a = np.float32(1) / (np.float32(1) + np.exp(-(w * x + b)))
        dz = (a - y) * a * (np.float32(1) - a)
        return dz * x, dz

    assert_catalogue(
        lab08.check_sigmoid_unit_gradients,
        [
            (no_slope, "the sigmoid's derivative g'(z) = a (1 - a) is missing"),
            (no_cost_slope, "dJ/da = a - y is missing"),
            (slope_of_z, "not z (1 - z)"),
            (flipped, "the sign is flipped"),
            (doubled, "J has a 1/2"),
            (no_x, "dJ/dw is missing its x"),
            (x_in_b, "dJ/db has an x"),
            (swapped, "the two are swapped"),
            (overflowing, "e^z / (1 + e^z) overflows"),
        ],
        [chain, in_float32],
        capsys,
    )


def test_the_saturated_case_catches_only_the_overflowing_sigmoid(capsys):
    """z = 800: the overflowing e^z / (1 + e^z) passes every other case and fails this one."""
    check = lab08.check_sigmoid_unit_gradients

    def overflowing(x, w, b, y):
        a = np.exp(w * x + b) / (1 + np.exp(w * x + b))
        dz = (a - y) * a * (1 - a)
        return dz * x, dz

    with np.errstate(over="ignore", invalid="ignore"):
        result = check(overflowing)
    capsys.readouterr()
    assert not result.passed and result.case == result.total == 5


def test_the_checkers_own_reference_is_refused(capsys):
    """The kernel the expected answers come from (which the lab shows) is course code: an
    answer that is it, or calls it, is refused by name."""
    check = lab08.check_my_dense_backward
    for answer in (DENSE.backward, lambda dZ, A_in, W: DENSE.backward(dZ, A_in, W)):
        result, out = run(check, answer, capsys)
        assert not result.passed and "uses the course's utils.dense" in out, out
