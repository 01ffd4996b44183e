"""Lab 4's checkers: cross-entropy from logits, logits to probabilities, the Keras model."""

import math

import numpy as np

from tests.support.answers import (
    assert_catalogue,
    keras_digits_model,
    keras_digits_variants,
    run,
)
from utils.exercises import lab04


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_bce_from_logits_mistakes_are_named(capsys):
    def naive(y, z):  # sigmoid, then log
        p = sigmoid(z)
        return np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p))

    def softplus(y, z):  # log(1 + e^z) - z y, e^z overflowing
        return np.mean(np.log(1 + np.exp(z)) - z * y)

    def clipped(y, z):  # Keras's clip of probabilities
        p = np.clip(sigmoid(z), 1e-7, 1 - 1e-7)
        return np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p))

    def no_max(y, z):  # max(z, 0) forgotten
        return np.mean(np.log1p(np.exp(-np.abs(z))) - z * y)

    def summed(y, z):  # the sum for the mean
        return np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))

    def flipped(y, z):  # the sign
        return -np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))

    def swapped(y, z):  # z (1 - y) for z y
        return np.mean(np.maximum(z, 0) - z * (1 - y) + np.log1p(np.exp(-np.abs(z))))

    def as_probabilities(y, z):  # z taken for p
        return np.mean(-y * np.log(z) - (1 - y) * np.log(1 - z))

    def flattened_y(y, z):  # y.ravel() against a column z: an (m, m) table
        return np.mean(np.maximum(z, 0) - z * y.ravel() + np.log1p(np.exp(-np.abs(z))))

    def logaddexp(y, z):  # log(1 + e^z) - z y, stably by numpy
        return np.mean(np.logaddexp(0, z) - y * z)

    def looped(y, z):  # one example at a time, each label's branch
        total = 0.0
        for y_i, z_i in zip(y.ravel(), z.ravel(), strict=False):
            t = z_i if y_i == 0 else -z_i  # L = log(1 + e^t)
            total += max(t, 0) + math.log1p(math.exp(-abs(t)))
        return total / y.size

    assert_catalogue(
        lab04.check_bce_from_logits,
        [
            (naive, "sigmoid then log gives log 0"),
            (softplus, "e^z overflows for huge z in log(1 + e^z) - z y"),
            (clipped, "clipping p to [1e-7, 1 - 1e-7]"),
            (no_max, "the max(z, 0) term is missing"),
            (summed, "you summed the losses"),
            (flipped, "the sign is flipped"),
            (swapped, "this is the loss of 1 - y"),
            (as_probabilities, "z are logits, not probabilities"),
            (flattened_y, "y and z differ in shape"),
        ],
        [logaddexp, looped],
        capsys,
    )


def test_lab4_keras_model_decisions_are_named(capsys):
    """Integer labels in the numerically stable form: only a linear output with
    from_logits=True passes, written any of the usual ways; each wrong decision is named."""
    import keras

    sparse = keras.losses.SparseCategoricalCrossentropy
    check = lab04.check_logits_model
    right = [
        keras_digits_model(output="linear", loss=sparse(from_logits=True)),
        keras_digits_model(output=None, loss=sparse(from_logits=True)),
        *keras_digits_variants(stable=True),
    ]
    for model in right:
        result, out = run(check, model, capsys)
        assert result.passed and out == "✓ logits_model: all 9 checks passed\n", out
    stable_form = "the numerically stable form leaves the softmax to the loss"
    mistakes = [  # (the model, where the wrong decision is named, why)
        (keras_digits_model(), "6/9 (output activation)", stable_form),
        (keras_digits_variants(stable=False)[0], "6/9 (output activation)", stable_form),
        (
            keras_digits_model(output="softmax", loss=sparse(from_logits=True)),
            "6/9 (output activation)",
            "from_logits=True with a softmax output applies softmax twice",
        ),
        (
            keras_digits_model(output="sigmoid", loss=sparse(from_logits=True)),
            "6/9 (output activation)",
            "applies sigmoid twice",
        ),
        (
            keras_digits_model(output="linear", loss=sparse()),
            "7/9 (loss)",
            "a linear output gives logits, but the loss reads them as probabilities: write "
            "SparseCategoricalCrossentropy(from_logits=True)",
        ),
        (
            keras_digits_model(
                output="linear", loss=keras.losses.CategoricalCrossentropy(from_logits=True)
            ),
            "7/9 (loss)",
            "the labels are integers 0..k-1",
        ),
        (
            keras_digits_model(output="linear", units=1, loss=sparse(from_logits=True)),
            "5/9 (output layer)",
            "10 classes need 10 output units",
        ),
        (
            keras_digits_model(output="linear", loss=sparse(from_logits=True), inputs=False),
            "1/9 (input shape)",
            "the model has no input shape",
        ),
    ]
    for model, where, why in mistakes:
        _, out = run(check, model, capsys)
        assert out.startswith(f"✗ check {where}: ") and why in out, out


def test_logits_to_probabilities_mistakes_are_named(capsys):
    import tensorflow as tf

    def unchanged(logits):  # the softmax forgotten
        return logits

    def sigmoid_tf(logits):  # a sigmoid per class
        return tf.sigmoid(logits).numpy()

    def columns(logits):  # the softmax down each column
        return tf.nn.softmax(logits, axis=0).numpy()

    def naive(logits):  # e^z over its row sum, e^1000 overflowing
        return np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)

    def exp_only(logits):  # not normalized
        return tf.exp(logits).numpy()

    def log_probabilities(logits):  # log_softmax
        return tf.nn.log_softmax(logits).numpy()

    def predicted_class(logits):  # the argmax
        return tf.argmax(logits, axis=1).numpy()

    def by_hand(logits):  # the softmax of each row, in numpy
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def log_sum_exp(logits):  # e^(z - logsumexp(z)), row by row, in TensorFlow
        return tf.exp(logits - tf.reduce_logsumexp(logits, axis=1, keepdims=True)).numpy()

    assert_catalogue(
        lab04.check_logits_to_probabilities,
        [
            (unchanged, "returned the logits unchanged"),
            (sigmoid_tf, "a sigmoid scores each class alone"),
            (columns, "that is a softmax down each column"),
            (naive, "e^z overflows for a logit of 1000"),
            (exp_only, "tf.exp alone is not a softmax"),
            (log_probabilities, "those are log-probabilities"),
            (predicted_class, "that is the most likely class"),
        ],
        [by_hand, log_sum_exp],
        capsys,
    )
