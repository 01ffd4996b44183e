"""Lab 5's checkers: the multi-label cost and the street-scenes model in Keras."""

import numpy as np

from tests.support.answers import dense_model, multilabel_cost, run
from utils.exercises import lab05


def test_typical_mistakes_are_named(capsys):
    _, out = run(
        lab05.check_multilabel_cost, lambda Y, Z: multilabel_cost(Y, Z) * Z.shape[1], capsys
    )  # the sum over the labels, not the mean
    assert out.startswith("✗ check 1/6 (one image")
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        _, out = run(
            lab05.check_multilabel_cost,
            lambda Y, Z: np.mean(
                -Y * np.log(1 / (1 + np.exp(-Z))) - (1 - Y) * np.log(1 - 1 / (1 + np.exp(-Z)))
            ),
            capsys,
        )
    assert out.startswith("✗ check 5/6") and "got nan" in out


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
