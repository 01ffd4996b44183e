"""What every function checker does (utils.exercises.grading): a right answer passes with one
line, a stub fails at the first case, the course's own implementation is refused, errors and
in-place changes are explained, and observations travel as plain JSON. (Each lab's checkers
and their typical mistakes: test_lab01.py ... test_lab08.py.)"""

import json
import re

import numpy as np
import pytest

from tests.support.answers import FUNCTION_CHECKERS, RIGHT, my_adam_step, run
from utils import (
    activations,
    convolution,
    dense,
    logistic_regression,
    losses,
    optimizers,
)
from utils import computation_graph as graph
from utils.exercises import grading, lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08, probe


@pytest.mark.parametrize("checker", FUNCTION_CHECKERS, ids=lambda c: c.answer)
def test_a_right_answer_passes_with_one_line(checker, capsys):
    result, out = run(checker, RIGHT[checker], capsys)
    n = len(checker.expected())
    assert result.passed and result.case is None and result.total == n
    assert out == f"✓ {checker.answer}: all {n} checks passed\n" == result.message + "\n"


@pytest.mark.parametrize("checker", FUNCTION_CHECKERS, ids=lambda c: c.answer)
def test_a_stub_fails_at_the_first_case(checker, capsys):
    result, out = run(checker, lambda *args: None, capsys)
    first = checker.expected()[0]
    assert not result.passed and result.case == 1 and result.hint == first.hint
    assert out.startswith(f"✗ check 1/{result.total} ({first.hint}): expected ")
    assert out.endswith(", got None\n") and out.count("✗") == 1


# The course's own implementation of each exercise (what an answer may not reach).
OWN = {
    lab01.check_gradient_step: logistic_regression.gradient_descent_update,
    lab01.check_train_logistic: lambda X, y, w, b, alpha, epochs: (
        logistic_regression.LogisticRegression(w, b).fit(
            X, y, "binary_crossentropy", optimizers.GradientDescent(alpha), epochs, None, False
        )["loss"]
    ),
    lab02.check_my_relu: activations.relu,
    lab02.check_my_relu_derivative: activations.relu_derivative,
    lab03.check_my_softmax: activations.softmax,
    lab04.check_bce_from_logits: losses.binary_crossentropy_from_logits,
    lab04.check_logits_to_probabilities: activations.sigmoid,
    lab05.check_multilabel_cost: losses.binary_crossentropy_from_logits,
    lab06.check_my_adam_step: optimizers.paper_adam_step,
    lab07.check_conv1d: lambda X, K, b, s: convolution.conv1d_forward(X, K, b, s).Z,
    lab08.check_my_dense_backward: dense.dense_backward,
    lab08.check_sigmoid_unit_gradients: lambda x, w, b, y: tuple(
        graph.derivatives_keras(graph.SIGMOID_UNIT_GRAPH, dict(x=x, w=w, b=b, y=y))[k] for k in "wb"
    ),
}


def cheats(checker):
    """Answers that are, or reach, the course's own implementation of the exercise: the
    function, a call, a helper, a class, a default argument, a module looked up at run time."""
    own = OWN[checker]

    def helper(*args):
        return own(*args)

    class Answer:
        def __call__(self, *args):
            return own(*args)

    def with_default(*args, f=own):
        return f(*args)

    return [own, lambda *args: own(*args), lambda *args: helper(*args), Answer(), with_default]


@pytest.mark.parametrize("checker", FUNCTION_CHECKERS, ids=lambda c: c.answer)
def test_the_courses_own_implementation_is_refused(checker, capsys):
    """The answer may neither be utils' implementation nor reach it by any route."""
    for answer in cheats(checker):
        result, out = run(checker, answer, capsys)
        used = re.fullmatch(f"✗ {checker.answer} uses the course's (\\S+): write your own\n", out)
        assert not result.passed and used and used.group(1).startswith("utils."), out


def test_numpy_exercises_refuse_keras_and_tensorflow_by_name(capsys):
    """A numpy exercise's judge holds numpy alone: an answer reaching TensorFlow or Keras is
    refused, naming the module; Lab 4's logits_to_probabilities is the lecture's TensorFlow
    code and may use it (never the course's own sigmoid)."""
    import keras
    import tensorflow as tf

    for answer in (
        lambda z: tf.nn.softmax(z).numpy(),
        lambda z: keras.activations.softmax(z).numpy(),
        tf.nn.softmax,
    ):
        result, out = run(lab03.check_my_softmax, answer, capsys)
        assert not result.passed and re.fullmatch(
            "✗ my_softmax reaches (tensorflow|keras)( \\(\\S+\\))?: write your own\n", out
        ), out
    check = lab04.check_logits_to_probabilities
    result, out = run(check, lambda z: tf.nn.sigmoid(z).numpy(), capsys)
    assert result.passed, out


def test_errors_and_non_functions_are_explained(capsys):
    _, out = run(lab01.check_gradient_step, lambda *args: 1 / 0, capsys)
    assert out.startswith("✗ check 1/4") and "gradient_step raised ZeroDivisionError" in out
    _, out = run(lab03.check_my_softmax, 3, capsys)
    assert out == "✗ my_softmax must be a function, got int\n"
    _, out = run(lab02.check_my_relu, lambda z: max(z, 0), capsys)
    assert "raised ValueError" in out


def test_changing_the_arguments_in_place_is_named(capsys):
    def in_place(X, y, w, b, alpha):
        err = 1 / (1 + np.exp(-(X @ w + b))) - y
        w -= alpha * X.T @ err / len(y)
        return w, b - alpha * np.mean(err)

    result, out = run(lab01.check_gradient_step, in_place, capsys)
    assert not result.passed and result.case == 1
    assert "gradient_step changed its argument w in place" in out


def test_a_result_is_not_displayed_twice():
    """As a cell's last expression the Result shows nothing: the checker printed it already."""
    result = grading.Result(True, "✓ x: all 1 checks passed", total=1)
    assert result._ipython_display_() is None and str(result) == result.message


def test_messages_do_not_depend_on_print_options(capsys):
    def wrong_for_arrays(*args):  # right for the first case (scalars), wrong for arrays
        return my_adam_step(*args) if np.ndim(args[0]) == 0 else args[:3]

    _, plain = run(lab06.check_my_adam_step, wrong_for_arrays, capsys)
    with np.printoptions(precision=2, suppress=False, linewidth=20):
        _, other = run(lab06.check_my_adam_step, wrong_for_arrays, capsys)
    assert plain == other and "0.000063" in plain


def test_reports_are_plain_json_and_decode_back():
    values = [
        None,
        "relu",
        3,
        2.5,
        np.float32(0.5),
        np.arange(6.0).reshape(2, 3),
        np.array([1, 2], dtype=np.int64),
        np.array([np.nan, np.inf]),
        (np.ones(2), 0.0),
        [1.0, None],
        {"a": "b", 1: 2.0},
    ]
    for value in values:
        data = json.loads(json.dumps(grading.encode(value)))
        back = grading.decode(data)
        if isinstance(value, (tuple, list)):
            assert type(back) is type(value) and len(back) == len(value)
        elif isinstance(value, dict):
            assert back == {"a": "b", 1: 2.0}
        elif isinstance(value, (str, type(None))):
            assert back == value
        else:
            assert np.array_equal(back, value, equal_nan=True)
            assert back.dtype == np.asarray(value).dtype
    odd = grading.decode(grading.encode(object()))
    assert isinstance(odd, grading.Unencoded) and odd.type_name == "object"
    assert not grading.close(odd, 1.0, 1e-8)
    huge = grading.encode(np.zeros(probe.MAX_ITEMS + 1))
    assert "other" in huge and len(json.dumps(huge)) < 500


def test_verdict_covers_missing_and_broken_reports():
    checker = lab03.check_my_softmax
    expected = checker.expected()
    assert checker.verdict(expected, {"missing": True}).message.startswith(
        "✗ my_softmax is not defined"
    )
    assert "could not be checked: boom" in checker.verdict(expected, {"error": "boom"}).message
    assert not checker.verdict(expected, None).passed


def test_the_grader_names_the_mistake_from_a_judges_report():
    """The diagnosis lives in verdict(): from the JSON a judge returns on the grader's own
    inputs, the mistake is named as in the notebook; an answer that matches no catalogued
    mistake gets the plain expected/got line."""
    checker = lab03.check_my_softmax
    expected = checker.expected(np.random.default_rng(2026))  # a grader's secret seed

    def minus_min(z):
        e = np.exp(z - np.min(z))
        return e / e.sum()

    def judged(answer):
        with np.errstate(all="ignore"):
            report = probe.call_answer(answer, checker.request(expected)["calls"])
        return checker.verdict(expected, json.loads(json.dumps(report)))

    result = judged(minus_min)
    assert not result.passed and result.case == 5
    assert result.message.startswith(
        "✗ check 5/6 (large logits: e^800 overflows to inf): subtracting min(z) still "
        "overflows when the logits span more than about 709: subtract max(z)"
    ) and result.message.endswith(": expected [0. 0. 0. 1.], got [ 0. nan nan nan]")
    result = judged(lambda z: np.full(z.shape, 0.5))
    assert result.message == (
        "✗ check 1/6 (three logits): expected [0.090031 0.244728 0.665241], got [0.5 0.5 0.5]"
    )


def test_numbers_are_shown_to_the_digit_where_they_differ():
    assert grading.show_difference(1.0, 1.0 + 1e-7) == ("1", "1.0000001")
    assert grading.show_difference(0.25, 0.5) == ("0.25", "0.5")
    shown = grading.show_difference(np.array([0.5, 2.0]), np.array([0.5, 2.0 + 3e-9]))
    assert shown == ("[0.5 2. ]", "[0.5         2.000000003]")
    assert grading.show_difference((1.0, 2.0), None) == ("(1, 2)", "None")


def test_tolerance_is_absolute_below_one_and_relative_above():
    assert grading.close(800.0 + 4e-6, 800.0, 1e-8)  # float64 round-off of a large cost
    assert not grading.close(800.0 + 1e-4, 800.0, 1e-8)
    assert grading.close(1e-9, 0.0, 1e-8) and not grading.close(1e-7, 0.0, 1e-8)
    assert grading.close(np.array([np.inf, np.nan]), np.array([np.inf, np.nan]), 1e-8)
    assert not grading.close(np.array([np.nan]), np.array([1.0]), 1e-8)
    assert not grading.close(1e300, np.inf, 1e-8) and not grading.close(np.inf, 1e300, 1e-8)
