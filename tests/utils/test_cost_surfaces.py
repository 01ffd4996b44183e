"""The elongated bowl and the paths optimizers take on it, by hand and in Keras."""

import numpy as np
import pytest
import tensorflow as tf

from tests.support.numerics import TOL64, max_diff
from utils import cost_surfaces as cs
from utils.optimizers import Adam, GradientDescent, PaperAdam


def test_cost_and_gradient_match_gradient_tape(rng):
    """J and dJ/dw against tf.GradientTape on the same formula, within 1e-12."""
    c = np.array([1.0, 100.0, 3.0])
    w = rng.normal(size=3)
    var = tf.Variable(w)
    with tf.GradientTape() as tape:
        J = 0.5 * tf.reduce_sum(c * var * var)
    assert abs(cs.bowl_cost(w, c) - float(J)) <= TOL64
    assert max_diff(cs.bowl_gradient(w, c), tape.gradient(J, var).numpy()) <= TOL64


def test_cost_on_a_grid_has_the_grid_shape():
    grid = np.zeros((4, 5, 2))
    grid[..., 0] = 2.0
    assert cs.bowl_cost(grid).shape == (4, 5)
    assert np.all(cs.bowl_cost(grid) == 2.0)  # 1/2 * 1 * 2^2


@pytest.mark.parametrize(
    "make_optimizer",
    [lambda: GradientDescent(0.005), lambda: GradientDescent(0.0205), lambda: Adam(0.1)],
    ids=["gd_small", "gd_diverging", "adam"],
)
def test_descent_path_matches_keras_optimizer_on_a_variable(make_optimizer):
    """100 steps by hand vs keras.optimizers on a keras.Variable: every point within 1e-12
    (relative for the diverging run, whose points grow to ~1e4)."""
    by_hand = cs.descent_path(make_optimizer(), 100)
    in_keras = cs.descent_path_keras(make_optimizer().to_keras(), 100)
    assert by_hand.shape == in_keras.shape == (101, 2)
    scale = max(1.0, float(np.abs(by_hand).max()))
    assert max_diff(by_hand, in_keras) <= TOL64 * scale


def test_descent_path_keras_accepts_our_optimizers_too():
    """An optimizer with to_keras() is converted; the path is the same within 1e-12."""
    assert max_diff(cs.descent_path_keras(Adam(0.1), 10), cs.descent_path(Adam(0.1), 10)) <= TOL64


def test_gradient_descent_dilemma_and_adam():
    """Small alpha crawls, alpha > 2/c_max diverges, Adam gets close to the minimum."""
    final = {
        name: cs.bowl_cost(cs.descent_path(opt, 100)[-1])
        for name, opt in {
            "small": GradientDescent(0.005),
            "large": GradientDescent(0.0205),
            "adam": Adam(0.1),
        }.items()
    }
    assert final["small"] > 1 and final["large"] > 1e4 and final["adam"] < 1e-2


def test_paper_adam_runs_on_the_bowl():
    """The paper's Adam is accepted by descent_path and differs from Keras's by more than
    round-off (1e-10) but little (< 1e-3) on the bowl."""
    gap = max_diff(cs.descent_path(PaperAdam(0.1), 50), cs.descent_path(Adam(0.1), 50))
    assert 1e-10 < gap < 1e-3
