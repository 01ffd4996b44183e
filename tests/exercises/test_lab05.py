"""Lab 5's checkers: the multi-label cost and the street-scenes model in Keras."""

import math

import numpy as np

from tests.support.answers import assert_catalogue, dense_model, multilabel_cost, run
from utils.exercises import lab05


def losses(Y, Z):
    """The m*k binary cross-entropies from the logits, written stably."""
    return np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))


def test_multilabel_cost_mistakes_are_named(capsys):
    def label_sums(Y, Z):  # summed over the labels, averaged over the images
        return np.mean(np.sum(losses(Y, Z), axis=1))

    def total(Y, Z):  # summed over everything
        return np.sum(losses(Y, Z))

    def per_label(Y, Z):  # a mean over axis 0 only
        return losses(Y, Z).mean(axis=0)

    def per_image(Y, Z):  # a mean over axis 1 only
        return losses(Y, Z).mean(axis=1)

    def naive(Y, Z):  # sigmoid, then log
        A = 1 / (1 + np.exp(-Z))
        return np.mean(-Y * np.log(A) - (1 - Y) * np.log(1 - A))

    def softmax(Y, Z):  # a categorical cross-entropy over the labels
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return np.mean(-np.sum(Y * np.log(E / E.sum(axis=1, keepdims=True)), axis=1))

    def flipped(Y, Z):  # the sign
        return -np.mean(losses(Y, Z))

    def looped(Y, Z):  # entry by entry, with math
        total = 0.0
        for y, z in zip(Y.ravel(), Z.ravel(), strict=False):
            total += max(z, 0) - z * y + math.log1p(math.exp(-abs(z)))
        return total / Y.size

    def logaddexp(Y, Z):  # log(1 + e^z) - z y, by numpy
        return np.logaddexp(0, Z).mean() - np.mean(Y * Z)

    assert_catalogue(
        lab05.check_multilabel_cost,
        [
            (label_sums, "you summed over the k labels"),
            (total, "you summed every entry"),
            (per_label, "that is one cost per label"),
            (per_image, "that is one cost per image"),
            (naive, "sigmoid then log gives 0 log 0"),
            (softmax, "a softmax makes the labels compete"),
            (flipped, "the sign is flipped"),
        ],
        [looped, logaddexp, multilabel_cost],
        capsys,
    )


def test_lab5_multilabel_model(capsys):
    import keras

    def street(output="linear", units=3, loss=None, optimizer=None, **kwargs):
        return dense_model(
            [(16, "relu"), (units, output)],
            256,
            loss or keras.losses.BinaryCrossentropy(from_logits=True),
            optimizer or keras.optimizers.Adam(learning_rate=0.005),
            **kwargs,
        )

    checker = lab05.check_model
    result, out = run(checker, street(), capsys)
    assert result.passed and out == "✓ model: all 8 checks passed\n"
    _, out = run(checker, None, capsys)
    assert out.startswith("✗ check 1/8 (a Keras model): model is None")
    mistakes = [
        (street(with_input=False), "check 1/8 (input shape)", "keras.Input(shape=(256,))"),
        (street(units=1), "check 4/8 (output layer)", "3 labels need 3 output units"),
        (
            street("softmax", loss=keras.losses.BinaryCrossentropy()),
            "check 5/8 (output activation)",
            "softmax makes the labels compete",
        ),
        (street("sigmoid"), "check 5/8 (output activation)", "applies sigmoid twice"),
        (
            street("sigmoid", loss=keras.losses.BinaryCrossentropy()),
            "check 5/8 (output activation)",
            "the recommended form leaves the sigmoid to the loss",
        ),
        (
            street(loss=keras.losses.BinaryCrossentropy()),
            "check 6/8 (loss)",
            "write BinaryCrossentropy(from_logits=True)",
        ),
        (
            street(loss=keras.losses.CategoricalCrossentropy(from_logits=True)),
            "check 6/8 (loss)",
            "the loss is CategoricalCrossentropy",
        ),
        (
            street(optimizer=keras.optimizers.SGD(learning_rate=0.005)),
            "check 7/8 (optimizer)",
            "the optimizer is SGD",
        ),
        (street(optimizer=keras.optimizers.Adam()), "check 8/8 (learning rate)", "0.001"),
    ]
    for model, where, what in mistakes:
        result, out = run(checker, model, capsys)
        assert not result.passed and out.startswith(f"✗ {where}") and what in out, out
