"""Lab 8's checkers: the central difference and the sigmoid unit's gradients."""

import math

import numpy as np
import pytest

from tests.support.answers import assert_catalogue
from utils import computation_graph as graph
from utils.exercises import lab08


def test_central_difference_mistakes_are_named(capsys):
    def forward(f, x, eps):  # the forward difference
        return (f(x + eps) - f(x)) / eps

    def backward(f, x, eps):  # the backward difference
        return (f(x) - f(x - eps)) / eps

    def over_eps(f, x, eps):  # divided by eps, not 2 eps
        return (f(x + eps) - f(x - eps)) / eps

    def precedence(f, x, eps):  # / 2 * eps
        return (f(x + eps) - f(x - eps)) / 2 * eps

    def undivided(f, x, eps):  # no division at all
        return f(x + eps) - f(x - eps)

    def flipped(f, x, eps):  # f(x - eps) first
        return (f(x - eps) - f(x + eps)) / (2 * eps)

    def average(f, x, eps):  # the mean of the forward and backward differences
        return ((f(x + eps) - f(x)) / eps + (f(x) - f(x - eps)) / eps) / 2

    def named(f, x, eps):  # both points named, then the slope of the chord
        left, right = x - eps, x + eps
        return (f(right) - f(left)) / (right - left)

    assert_catalogue(
        lab08.check_central_difference_estimate,
        [
            (forward, "that is the forward difference"),
            (backward, "that is the backward difference"),
            (over_eps, "divide by 2 * eps"),
            (precedence, "/ 2 * eps multiplies by eps"),
            (undivided, "the difference is not divided by the step"),
            (flipped, "the sign is flipped"),
        ],
        [average, named],
        capsys,
    )


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_sigmoid_unit_gradient_mistakes_are_named(capsys):
    def no_slope(x, w, b, y):  # g'(z) forgotten
        a = sigmoid(w * x + b)
        return (a - y) * x, a - y

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
            (slope_of_z, "not z (1 - z)"),
            (flipped, "the sign is flipped"),
            (doubled, "J has a 1/2"),
            (no_x, "dJ/dw is missing its x"),
            (x_in_b, "dJ/db has an x"),
            (swapped, "the two are swapped"),
        ],
        [chain, in_float32],
        capsys,
    )


def test_lab8_functions_are_the_lecture_graphs():
    """Lab 8's functions to differentiate are plain numpy (a judge holds no course code), the
    same numbers as the lecture's graphs."""
    for w in (-1.5, 0.0, 2.0, 3.7):
        unit = {**lab08._UNIT, "w": w}
        assert lab08._unit_cost(**lab08._UNIT)(w) == graph.forward(graph.ONE_UNIT_GRAPH, unit)["J"]
        relu = {**lab08._RELU, "w1": w}
        assert lab08._relu_cost(**lab08._RELU)(w) == pytest.approx(
            graph.forward(graph.TWO_LAYER_RELU_GRAPH, relu)["J"], rel=1e-15
        )
