"""Lab 3's checkers: softmax, and the digits model in Keras."""

import math

import numpy as np

from tests.support.answers import assert_catalogue, keras_digits_model, run
from utils.exercises import lab03


def test_my_softmax_mistakes_are_named(capsys):
    def naive(z):  # e^z overflows
        return np.exp(z) / np.sum(np.exp(z))

    def minus_min(z):  # the min subtracted: still overflows over a span of 709
        e = np.exp(z - np.min(z))
        return e / e.sum()

    def minus_mean(z):  # the mean subtracted
        e = np.exp(z - np.mean(z))
        return e / e.sum()

    def unnormalized(z):  # the division forgotten
        return np.exp(z - np.max(z))

    def log_softmax(z):  # the log-softmax, not exponentiated
        shifted = z - np.max(z)
        return shifted - np.log(np.sum(np.exp(shifted)))

    def no_exp(z):  # the logits normalized
        return z / np.sum(z)

    def sigmoid(z):  # one sigmoid per logit
        return 1 / (1 + np.exp(-z))

    def flipped(z):  # e^(max - z)
        e = np.exp(np.max(z) - z)
        return e / e.sum()

    def looped(z):  # with math, one logit at a time
        top = max(z)
        e = [math.exp(v - top) for v in z]
        return np.array([v / sum(e) for v in e])

    def log_sum_exp(z):  # e^(z - logsumexp(z))
        top = np.max(z)
        return np.exp(z - top - np.log(np.sum(np.exp(z - top))))

    assert_catalogue(
        lab03.check_my_softmax,
        [
            (naive, "e^z overflows to inf for large z"),
            (minus_min, "subtracting min(z) still overflows"),
            (minus_mean, "subtracting the mean still overflows"),
            (unnormalized, "the outputs do not sum to 1"),
            (log_softmax, "that is the log of the softmax"),
            (no_exp, "softmax exponentiates first"),
            (sigmoid, "a sigmoid scores each logit alone"),
            (flipped, "the exponent's sign is flipped"),
        ],
        [looped, log_sum_exp],
        capsys,
    )


def test_lab3_keras_model_right_answer_and_typical_mistakes(capsys):
    import keras

    result, out = run(lab03.check_digits_model, keras_digits_model(), capsys)
    assert result.passed and out == "✓ digits_model: all 9 checks passed\n"
    _, out = run(lab03.check_digits_model, None, capsys)
    assert out == "✗ check 1/9 (a Keras model): digits_model is None: define it with Sequential\n"
    mistakes = [
        (dict(inputs=False), "✗ check 1/9 (input shape): the model has no input shape"),
        (dict(units=9), "✗ check 5/9 (output layer): the output layer has 9 units; 10 classes"),
        (dict(output="sigmoid"), "✗ check 6/9 (output activation): sigmoid scores each class"),
        (
            dict(loss=keras.losses.CategoricalCrossentropy()),
            "✗ check 7/9 (loss): the labels are integers 0..k-1: use SparseCategorical",
        ),
        (
            dict(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)),
            "✗ check 7/9 (loss): the output gives probabilities, not logits",
        ),
        (dict(optimizer=keras.optimizers.SGD(1e-3)), "✗ check 8/9 (optimizer): the optimizer"),
        (
            dict(optimizer=keras.optimizers.Adam(1e-2)),
            "✗ check 9/9 (learning rate): the learning rate is 0.01",
        ),
    ]
    for kwargs, start in mistakes:
        _, out = run(lab03.check_digits_model, keras_digits_model(**kwargs), capsys)
        assert out.startswith(start), out
