"""Adam in Keras's form and in the paper's (epsilon on sqrt(v_hat)) against
keras.optimizers.Adam in float64."""

import keras
import numpy as np
import pytest

from tests.support.numerics import TOL64, max_diff
from utils.optimizers import Adam, PaperAdam, paper_adam_step


def _keras_steps(w, grads, **kwargs):
    var = keras.Variable(w.copy(), dtype="float64")
    opt = keras.optimizers.Adam(**kwargs)
    points = []
    for g in grads:
        opt.apply_gradients([(keras.ops.convert_to_tensor(g), var)])
        points.append(var.numpy().copy())
    return points


def test_equals_keras_with_epsilon_rescaled_each_step(rng):
    """Keras's step t is the paper's step with epsilon_paper = epsilon / sqrt(1 - beta_2^t):
    20 steps within 1e-15. The betas 0.875 and 1 - 2^-9 are exact in float32, so Keras's
    float32-rounded bias corrections do not blur the comparison."""
    b1, b2 = 0.875, 1 - 2.0**-9
    w, grads = rng.normal(size=5), rng.normal(scale=1e-6, size=(20, 5))
    keras_points = _keras_steps(w, grads, learning_rate=1e-3, beta_1=b1, beta_2=b2)
    m = v = np.zeros(5)
    for t, (g, expected) in enumerate(zip(grads, keras_points, strict=True), start=1):
        w, m, v = paper_adam_step(w, g, m, v, t, 1e-3, b1, b2, epsilon=1e-7 / np.sqrt(1 - b2**t))
        assert max_diff(w, expected) <= 1e-15


def test_large_gradients_make_the_forms_agree(rng):
    """|g| >> epsilon: epsilon's place hardly matters; paper vs Keras within 2e-7 after 20 steps
    of 1e-3 (mostly Keras's float32-rounded betas in the bias corrections)."""
    w, grads = rng.normal(size=(3, 4)), rng.normal(size=(20, 3, 4))
    paper, ours = [w.copy()], [w.copy()]
    opt_p, opt_k = PaperAdam(), Adam()
    for g in grads:
        opt_p.step(paper, [g])
        opt_k.step(ours, [g])
    assert max_diff(paper[0], _keras_steps(w, grads)[-1]) <= 2e-7
    assert max_diff(paper[0], ours[0]) <= 2e-7


def test_small_gradients_make_the_forms_differ():
    """|g| = 1e-6 on the first step, epsilon 1e-7 in both forms: Keras moves 2.4025e-4, the
    paper 9.0909e-4 (to 1e-12)."""
    w, g = np.zeros(1), np.full(1, 1e-6)
    paper, _, _ = paper_adam_step(w, g, np.zeros(1), np.zeros(1), 1, epsilon=1e-7)
    keras_w = _keras_steps(w, [g])[0]
    assert abs(-paper[0] - 1e-3 * 1e-6 / (1e-6 + 1e-7)) <= TOL64
    assert abs(-keras_w[0] - 2.4025147e-4) <= 1e-12
    assert abs(paper[0] - keras_w[0]) > 6e-4


def test_step_does_not_change_its_inputs_and_counts_steps(rng):
    w, g = rng.normal(size=3), rng.normal(size=3)
    m, v = np.zeros(3), np.zeros(3)
    new_w, new_m, new_v = paper_adam_step(w, g, m, v, 1)
    assert not m.any() and not v.any() and not np.shares_memory(new_w, w)
    # first step: bias correction makes each step exactly learning_rate (up to epsilon)
    assert max_diff(np.abs(new_w - w), np.full(3, 1e-3)) <= 1e-9
    opt, params = PaperAdam(), [w.copy()]
    opt.step(params, [g])
    assert opt.iterations == 1 and max_diff(params[0], new_w) == 0


@pytest.mark.parametrize("t", [1, 10, 1000])
def test_bias_corrections_use_exact_betas(t):
    """Against a direct evaluation of Algorithm 1 with exact betas, within 1e-15."""
    w, g, m, v = np.array([0.5]), np.array([0.2]), np.array([0.1]), np.array([0.03])
    m1 = 0.9 * m + 0.1 * g
    v1 = 0.999 * v + 0.001 * g * g
    expected = w - 1e-3 * (m1 / (1 - 0.9**t)) / (np.sqrt(v1 / (1 - 0.999**t)) + 1e-8)
    assert max_diff(paper_adam_step(w, g, m, v, t)[0], expected) <= 1e-15


def test_defaults_are_the_papers_and_keras_epsilon():
    """Algorithm 1's epsilon defaults to the paper's 1e-8, Keras's form to Keras's 1e-7."""
    import inspect

    assert (
        PaperAdam().epsilon
        == 1e-8
        == inspect.signature(paper_adam_step).parameters["epsilon"].default
    )
    assert Adam().epsilon == 1e-7 == keras.optimizers.Adam().epsilon


def test_adam_directions_follow_adams_moments():
    """m_hat / sqrt(v_hat) from PaperAdam's own moments (within 1e-15): +-1 on the first step,
    near 0 for a gradient that flips its sign every step, 0 for zero gradients."""
    from utils.optimizers import adam_directions

    grads = np.array([[1.0, -2.0, 0.0]] * 3) * np.array([[1, 1, 1], [1, -1, 1], [1, 1, 1]])
    opt, w = PaperAdam(), [np.zeros(3)]
    for t, (g, got) in enumerate(zip(grads, adam_directions(grads), strict=True), start=1):
        opt.step(w, [g])
        m_hat, v_hat = opt.m[0] / (1 - 0.9**t), opt.v[0] / (1 - 0.999**t)
        expected = np.divide(m_hat, np.sqrt(v_hat), out=np.zeros(3), where=v_hat > 0)
        assert max_diff(got, expected) <= 1e-15
    flips = adam_directions(np.array([[1.0], [-1.0]] * 20))
    assert np.all(np.abs(flips[10:]) < 0.11) and flips[0, 0] == 1


def test_adam_epsilon_placement_and_float32_betas(rng):
    """One Adam step on w: the Keras form differs from the paper's (eps on sqrt(v_hat))."""
    w, g = np.array([0.3]), np.array([2e-7])
    ours = w.copy()
    Adam().step([ours], [g])
    var = keras.Variable(w)
    opt = keras.optimizers.Adam()
    opt.apply_gradients([(keras.ops.convert_to_tensor(g), var)])
    assert max_diff(ours, var.numpy()) <= 1e-16
    m_hat, v_hat = g, g**2  # after one step the bias corrections undo (1 - beta)
    paper = w - 1e-3 * m_hat / (np.sqrt(v_hat) + 1e-7)
    assert abs(paper - ours)[0] > 1e-5
