"""Lab 3's checkers: softmax, and the digits model in Keras."""

import math

import numpy as np

from tests.support.answers import (
    assert_catalogue,
    keras_digits_model,
    keras_digits_variants,
    run,
)
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


def test_lab3_keras_model_decisions_are_named(capsys):
    """The student decides the output layer and the loss: each wrong decision is named with
    why; either form, written any of the usual ways, passes."""
    import keras

    sparse = keras.losses.SparseCategoricalCrossentropy
    check = lab03.check_digits_model
    right = [
        keras_digits_model(),
        keras_digits_model(output="linear", loss=sparse(from_logits=True)),
        keras_digits_model(output=None, loss=sparse(from_logits=True)),
        *keras_digits_variants(stable=False),
        *keras_digits_variants(stable=True),
    ]
    for model in right:
        result, out = run(check, model, capsys)
        assert result.passed and out == "✓ digits_model: all 9 checks passed\n", out
    _, out = run(check, None, capsys)
    assert out == "✗ check 1/9 (a Keras model): digits_model is None: define it with Sequential\n"
    mistakes = [  # (the wrong decision, where it is named, why)
        (dict(inputs=False), "1/9 (input shape)", "the model has no input shape"),
        (dict(units=1), "5/9 (output layer)", "10 classes need 10 output units, one per class"),
        (dict(units=9), "5/9 (output layer)", "10 classes need 10 output units"),
        (dict(output="sigmoid"), "6/9 (output activation)", "sigmoid scores each class alone"),
        (dict(output="relu"), "6/9 (output activation)", "ReLU outputs are not probabilities"),
        (
            dict(loss=keras.losses.CategoricalCrossentropy()),
            "7/9 (loss)",
            "CategoricalCrossentropy expects one-hot rows",
        ),
        (
            dict(loss=keras.losses.MeanSquaredError()),
            "7/9 (loss)",
            "one label out of N takes the categorical cross-entropy",
        ),
        (dict(loss=sparse(from_logits=True)), "7/9 (loss)", "applies softmax twice"),
        (dict(output="linear"), "7/9 (loss)", "the loss reads them as probabilities"),
        (
            dict(optimizer=keras.optimizers.SGD(1e-3)),
            "8/9 (optimizer)",
            "SGD takes one learning rate for every parameter",
        ),
        (dict(optimizer=keras.optimizers.Adam(1e-2)), "9/9 (learning rate)", "is 0.01"),
    ]
    for kwargs, where, why in mistakes:
        _, out = run(check, keras_digits_model(**kwargs), capsys)
        assert out.startswith(f"✗ check {where}: ") and why in out, (kwargs, out)
