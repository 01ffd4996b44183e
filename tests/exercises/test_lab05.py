"""Lab 5's checkers: the multi-label cost and the street-scenes model in Keras."""

import math

import numpy as np

from tests.support.answers import assert_catalogue, dense_model, multilabel_cost, run
from utils.exercises import lab05


def losses(Y, Z):
    """The m*L binary cross-entropies from the logits, written stably."""
    return np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def test_multilabel_cost_mistakes_are_named(capsys):
    def one_label_gradient(Y, Z):  # Lab 1's (f - y) / m, as if each label were alone
        return np.mean(losses(Y, Z)), (sigmoid(Z) - Y) / len(Y)

    def no_one_over_m(Y, Z):  # the mean over the labels only
        return np.mean(losses(Y, Z)), (sigmoid(Z) - Y) / Y.shape[1]

    def per_entry(Y, Z):  # dL/dz of one entry, not of J
        return np.mean(losses(Y, Z)), sigmoid(Z) - Y

    def three_labels(Y, Z):  # this lab's L = 3, hard-coded
        return np.mean(losses(Y, Z)), (sigmoid(Z) - Y) / (3 * len(Y))

    def label_sums(Y, Z):  # summed over the labels, averaged over the images
        return np.mean(np.sum(losses(Y, Z), axis=1)), (sigmoid(Z) - Y) / len(Y)

    def softmax(Y, Z):  # Lab 3's categorical cross-entropy over the labels
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        S = E / E.sum(axis=1, keepdims=True)
        return np.mean(-np.sum(Y * np.log(S), axis=1)), (S - Y) / len(Y)

    def flipped(Y, Z):  # y - a
        return np.mean(losses(Y, Z)), (Y - sigmoid(Z)) / Y.size

    def chain_rule(Y, Z):  # times g'(z) = a (1 - a), as for a squared error
        A = sigmoid(Z)
        return np.mean(losses(Y, Z)), (A - Y) * A * (1 - A) / Y.size

    def no_sigmoid(Y, Z):  # z - y
        return np.mean(losses(Y, Z)), (Z - Y) / Y.size

    def first_label(Y, Z):  # the car's cost J_1, as design A's first network has it
        return np.mean(losses(Y[:, :1], Z[:, :1])), (sigmoid(Z) - Y) / Y.size

    def per_label(Y, Z):  # J_j, a mean over axis 0 only
        return losses(Y, Z).mean(axis=0), (sigmoid(Z) - Y) / Y.size

    def naive(Y, Z):  # sigmoid, then log
        A = sigmoid(Z)
        return np.mean(-Y * np.log(A) - (1 - Y) * np.log(1 - A)), (A - Y) / Y.size

    def half_stable(Y, Z):  # log(1 + e^-z) without |z|
        return np.mean(Z - Z * Y + np.log(1 + np.exp(-Z))), (sigmoid(Z) - Y) / Y.size

    def clipped(Y, Z):  # probabilities clipped to [1e-7, 1 - 1e-7], as Keras does
        A = np.clip(sigmoid(Z), 1e-7, 1 - 1e-7)
        return np.mean(-Y * np.log(A) - (1 - Y) * np.log(1 - A)), (sigmoid(Z) - Y) / Y.size

    def lab4_answer(Y, Z):  # Lab 4's bce_from_logits, unchanged: the cost alone
        return np.mean(np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z))))

    def looped(Y, Z):  # entry by entry, with math
        m, labels = Y.shape
        J, dZ = 0.0, np.zeros((m, labels))
        for i in range(m):
            for j in range(labels):
                z, y = float(Z[i, j]), float(Y[i, j])
                J += max(z, 0) - z * y + math.log1p(math.exp(-abs(z)))
                a = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
                dZ[i, j] = (a - y) / (m * labels)
        return J / (m * labels), dZ

    def per_label_costs(Y, Z):  # the mean of the L label costs J_j; a as e^z / (1 + e^z)
        J_j = [np.mean(np.logaddexp(0, z) - y * z) for y, z in zip(Y.T, Z.T, strict=True)]
        A = np.exp(Z - np.logaddexp(0, Z))
        return np.mean(J_j), (A - Y) / (len(Y) * len(J_j))

    assert_catalogue(
        lab05.check_multilabel_cost,
        [
            (lab4_answer, "that is J alone (Lab 4's cost)"),
            (one_label_gradient, "dZ is the gradient of one label's own cost"),
            (no_one_over_m, "dZ lacks the 1/m"),
            (per_entry, "dZ = A - Y is the gradient of one entry's loss"),
            (three_labels, "you divided by 3, this lab's labels"),
            (label_sums, "you summed over the L labels"),
            (softmax, "a softmax makes the labels compete"),
            (flipped, "the sign of dZ is flipped"),
            (chain_rule, "dZ has an extra a (1 - a)"),
            (no_sigmoid, "dZ lacks the sigmoid"),
            (first_label, "that J is the first label's cost J_1 alone"),
            (per_label, "J is one number, the mean over all m*L entries"),
            (naive, "sigmoid then log gives 0 log 0"),
            (half_stable, "log(1 + e^-z) overflows"),
            (clipped, "clipped probabilities"),
        ],
        [looped, per_label_costs, multilabel_cost],
        capsys,
    )


def street_model(output="sigmoid", units=3, loss=None, optimizer=None, **kwargs):
    """Design B as a student might write it: the hidden layer the exercise gives, then the
    output and loss decided by the arguments (the defaults: one sigmoid per label)."""
    import keras

    return dense_model(
        [(16, "relu"), (units, output)],
        256,
        loss or keras.losses.BinaryCrossentropy(),
        optimizer or keras.optimizers.Adam(learning_rate=0.005),
        **kwargs,
    )


def test_lab5_multilabel_model_wrong_decisions_are_named(capsys):
    import keras

    losses_ = keras.losses
    checker = lab05.check_model
    _, out = run(checker, None, capsys)
    assert out.startswith("✗ check 1/8 (a Keras model): model is None")
    mistakes = [
        # the model's input forgotten
        (street_model(with_input=False), "check 1/8 (input shape)", "keras.Input(shape=(256,))"),
        # the car network's single output: one label, not three
        (street_model(units=1), "check 4/8 (output layer)", "3 labels need 3 output units"),
        # Lab 3's multiclass output: the labels made to compete
        (
            street_model("softmax", loss=losses_.CategoricalCrossentropy()),
            "check 5/8 (output activation)",
            "softmax makes the labels compete",
        ),
        (
            street_model("softmax"),
            "check 5/8 (output activation)",
            "each label needs its own sigmoid",
        ),
        # a hidden layer's activation on the output: not a probability
        (street_model("relu"), "check 5/8 (output activation)", "a relu output is not what"),
        # from_logits=True on probabilities: the sigmoid applied twice
        (
            street_model(loss=losses_.BinaryCrossentropy(from_logits=True)),
            "check 6/8 (loss)",
            "applies sigmoid twice",
        ),
        # logits read as probabilities
        (street_model("linear"), "check 6/8 (loss)", "a linear output gives logits"),
        # a multiclass loss on multi-hot targets
        (
            street_model("linear", loss=losses_.CategoricalCrossentropy(from_logits=True)),
            "check 6/8 (loss)",
            "the loss is CategoricalCrossentropy",
        ),
        # a regression loss
        (
            street_model(loss=losses_.MeanSquaredError()),
            "check 6/8 (loss)",
            "the loss is MeanSquaredError",
        ),
        # the lab's optimizer and rate are given: another one is a slip
        (
            street_model(optimizer=keras.optimizers.SGD(learning_rate=0.005)),
            "check 7/8 (optimizer)",
            "the optimizer is SGD",
        ),
        (street_model(optimizer=keras.optimizers.Adam()), "check 8/8 (learning rate)", "0.001"),
    ]
    for model, where, what in mistakes:
        result, out = run(checker, model, capsys)
        assert not result.passed and out.startswith(f"✗ {where}") and what in out, out


def test_lab5_multilabel_model_right_decisions_written_other_ways_pass(capsys):
    import keras

    layers, losses_ = keras.layers, keras.losses
    adam = keras.optimizers.Adam

    added = keras.Sequential()  # .add, a linear output (activation=None), from logits
    added.add(keras.Input(shape=(256,)))
    added.add(layers.Dense(16, activation="relu"))
    added.add(layers.Dense(3, activation=None))
    added.compile(loss=losses_.BinaryCrossentropy(from_logits=True), optimizer=adam(0.005))

    inputs = keras.Input(shape=(256,))  # the functional API, the sigmoid as a layer of its own
    hidden = layers.Dense(16, activation="relu")(inputs)
    outputs = layers.Activation("sigmoid")(layers.Dense(3)(hidden))
    functional = keras.Model(inputs, outputs)
    functional.compile(loss="binary_crossentropy", optimizer=adam(learning_rate=0.005))

    for model in (
        street_model(),
        street_model("linear", loss=losses_.BinaryCrossentropy(from_logits=True)),
        added,
        functional,
    ):
        result, out = run(lab05.check_model, model, capsys)
        assert result.passed and out == "✓ model: all 8 checks passed\n", out
