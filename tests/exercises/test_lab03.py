"""Lab 3's checkers: softmax, and the digits model in Keras."""

import numpy as np

from tests.support.answers import keras_digits_model, run
from utils.exercises import lab03


def test_typical_mistakes_are_named(capsys):
    def naive_softmax(z):
        return np.exp(z) / np.sum(np.exp(z))

    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        _, out = run(lab03.check_my_softmax, naive_softmax, capsys)
    assert out.startswith("✗ check 5/6 (large logits") and "nan" in out


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
