"""Lab 2's checkers: ReLU and its derivative, output activations, activations in Keras."""

import numpy as np

from tests.support.answers import run
from utils.exercises import lab02


def test_typical_mistakes_are_named(capsys):
    _, out = run(lab02.check_my_relu_derivative, lambda z: (z >= 0).astype(float), capsys)
    assert out.startswith("✗ check 1/5 (z < 0, z = 0, z > 0)")
    _, out = run(lab02.check_my_relu_derivative, np.ones_like, capsys)
    assert "got [1. 1. 1. 1. 1.]" in out


def test_output_activation_checker(capsys):
    right = {p: lab02._OUTPUT_PROBLEMS[p][0] for p in lab02.OUTPUT_PROBLEMS}
    result, out = run(lab02.check_output_activations, right, capsys)
    assert result.passed and out == "✓ output activations: all 6 checks passed\n"
    _, out = run(
        lab02.check_output_activations,
        {**right, "the price of a house, in $1000": "linear"},
        capsys,
    )
    assert out.startswith("✗ check 3/6") and "never negative; which output activation" in out
    _, out = run(
        lab02.check_output_activations, {**right, "the price of a house, in $1000": "ReLU"}, capsys
    )
    assert "got 'ReLU'" in out
    _, out = run(lab02.check_output_activations, dict.fromkeys(right), capsys)
    assert out.startswith("✗ check 1/6") and out.endswith("got None\n")
    _, out = run(lab02.check_output_activations, ["relu"], capsys)
    assert out == "✗ output_activations must be a dict {problem: activation}, got list\n"


def lab2_model(hidden="relu", output="relu", units=16, outputs=1, loss=None, compiled=True):
    """The Lab 2 Keras exercise's answer, or a typical mistake (the arguments that differ)."""
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(1,)),
            keras.layers.Dense(units, activation=hidden),
            keras.layers.Dense(outputs, activation=output),
        ]
    )
    if compiled:
        model.compile(loss=loss or keras.losses.MeanSquaredError())
    return model


def test_lab2_activations_in_keras(capsys):
    import keras

    check = lab02.check_price_model
    result, out = run(check, lab2_model(), capsys)
    assert result.passed and out == "✓ price_model: all 6 checks passed\n"
    _, out = run(check, None, capsys)
    assert out.startswith("✗ check 1/6 (a Keras model): price_model is None")
    mistakes = [
        (dict(hidden="sigmoid"), "check 3/6 (layer 1)", "hidden layers use ReLU by default"),
        (dict(units=8), "check 3/6 (layer 1)", "has 8 units"),
        (dict(outputs=2), "check 4/6 (output layer)", "needs 1 output unit"),
        (dict(output="linear"), "check 5/6", "never negative; a ReLU output keeps f(x) >= 0"),
        (dict(output="sigmoid"), "check 5/6", 'write Dense(1, activation="relu")'),
        (dict(loss=keras.losses.BinaryCrossentropy()), "check 6/6 (loss)", "MeanSquaredError"),
        (dict(compiled=False), "check 6/6 (loss)", "not compiled"),
    ]
    for kwargs, where, fragment in mistakes:
        result, out = run(check, lab2_model(**kwargs), capsys)
        assert not result.passed and where in out and fragment in out, (kwargs, out)
