"""Lab 4's checkers: cross-entropy from logits, logits to probabilities, the Keras model."""

import math

import numpy as np

from tests.support.answers import assert_catalogue, keras_digits_model, run
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


def zero_model(output="linear", units=1, loss=None, inputs=True):
    """A model for "is this digit a 0?": the lecture's hidden layers, the output and loss
    given (the stable form by default), compiled with Adam(learning_rate=1e-3)."""
    import keras

    return keras_digits_model(
        output=output,
        units=units,
        loss=loss or keras.losses.BinaryCrossentropy(from_logits=True),
        inputs=inputs,
    )


def zero_model_variants():
    """The stable zero model written other right ways: ``.add`` with ``activation=None`` for
    the output, and the functional API with ``Dense(1)`` (no activation given)."""
    import keras

    added = keras.Sequential([keras.Input(shape=(64,))])
    for units, activation in ((25, "relu"), (15, "relu"), (1, None)):
        added.add(keras.layers.Dense(units, activation=activation))
    x = inputs = keras.Input(shape=(64,))
    for units in (25, 15):
        x = keras.layers.Dense(units, activation="relu")(x)
    functional = keras.Model(inputs, keras.layers.Dense(1)(x))
    for model in (added, functional):
        model.compile(
            loss=keras.losses.BinaryCrossentropy(from_logits=True),
            optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        )
    return [added, functional]


def test_lab4_keras_model_decisions_are_named(capsys):
    """'Is this digit a 0?' in the numerically stable form: only one linear output unit with
    BinaryCrossentropy(from_logits=True) passes, written any of the usual ways; each wrong
    decision is named, with why."""
    import keras

    bce, losses = keras.losses.BinaryCrossentropy, keras.losses
    check = lab04.check_logits_model
    for model in [zero_model(), zero_model(output=None), *zero_model_variants()]:
        result, out = run(check, model, capsys)
        assert result.passed and out == "✓ logits_model: all 9 checks passed\n", out
    mistakes = [  # (the model, where the wrong decision is named, why)
        (
            zero_model(output="sigmoid"),
            "6/9 (output activation)",
            "from_logits=True with a sigmoid output applies sigmoid twice",
        ),
        (
            zero_model(output="sigmoid", loss=bce()),
            "6/9 (output activation)",
            "a sigmoid output is not the numerically stable form",
        ),
        (
            zero_model(output="softmax", units=2, loss=losses.SparseCategoricalCrossentropy()),
            "5/9 (output layer)",
            "a yes/no target needs 1 output unit",
        ),
        (
            zero_model(units=2, loss=losses.SparseCategoricalCrossentropy(from_logits=True)),
            "5/9 (output layer)",
            "a yes/no target needs 1 output unit",
        ),
        (
            zero_model(loss=losses.SparseCategoricalCrossentropy(from_logits=True)),
            "7/9 (loss)",
            "the loss is SparseCategoricalCrossentropy, but a 0/1 label takes the binary "
            "cross-entropy",
        ),
        (
            zero_model(loss=losses.MeanSquaredError()),
            "7/9 (loss)",
            "the loss is MeanSquaredError, but a 0/1 label takes the binary cross-entropy",
        ),
        (
            zero_model(loss=bce()),
            "7/9 (loss)",
            "a linear output gives logits, but the loss reads them as probabilities: write "
            "BinaryCrossentropy(from_logits=True)",
        ),
        (
            zero_model(output="softmax", loss=bce()),
            "6/9 (output activation)",
            "softmax over one unit is always 1",
        ),
        (zero_model(output="relu"), "6/9 (output activation)", "it can exceed 1"),
        (zero_model(inputs=False), "1/9 (input shape)", "the model has no input shape"),
    ]
    for model, where, why in mistakes:
        _, out = run(check, model, capsys)
        assert out.startswith(f"✗ check {where}: ") and why in out, out


def test_logits_to_probabilities_mistakes_are_named(capsys):
    import tensorflow as tf

    def unchanged(logits):  # the sigmoid forgotten
        return logits

    def softmax_tf(logits):  # the digits' softmax, over one unit
        return tf.nn.softmax(logits).numpy()

    def other_label(logits):  # e^-z / (1 + e^-z): the probability of "not a 0"
        return 1 - tf.sigmoid(logits).numpy()

    def naive(logits):  # e^z / (1 + e^z), e^1000 overflowing
        return np.exp(logits) / (1 + np.exp(logits))

    def exp_only(logits):  # not squashed
        return tf.exp(logits).numpy()

    def log_probabilities(logits):  # log_sigmoid
        return tf.math.log_sigmoid(logits).numpy()

    def predicted_label(logits):  # thresholded at z = 0
        return (logits >= 0).astype(float)

    def flattened(logits):  # one probability per image, as a vector
        return tf.sigmoid(logits[:, 0]).numpy()

    def by_hand(logits):  # 1 / (1 + e^-z), e^-z = inf for z = -1000 giving 0
        return 1 / (1 + np.exp(-logits))

    def keras_sigmoid(logits):  # Keras's activation instead of tf.nn
        import keras

        return keras.activations.sigmoid(logits).numpy()

    assert_catalogue(
        lab04.check_logits_to_probabilities,
        [
            (unchanged, "returned the logits unchanged"),
            (softmax_tf, "a softmax over one unit is always 1"),
            (other_label, "the probability of the other label"),
            (naive, "e^z overflows for a logit of 1000"),
            (exp_only, "e^z alone is not a probability"),
            (log_probabilities, "those are log-probabilities"),
            (predicted_label, "that is the predicted label"),
            (flattened, "the probabilities have shape (m,)"),
        ],
        [by_hand, keras_sigmoid],
        capsys,
    )
