"""Lab 4's checkers: cross-entropy from logits, logits to probabilities, the Keras model."""

import numpy as np

from tests.support.answers import keras_digits_model, run
from utils.exercises import lab04


def test_typical_mistakes_are_named(capsys):
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        _, out = run(
            lab04.check_bce_from_logits,
            lambda y, z: np.mean(
                -y * np.log(1 / (1 + np.exp(-z))) - (1 - y) * np.log(1 - 1 / (1 + np.exp(-z)))
            ),
            capsys,
        )
    assert out.startswith("✗ check 3/6") and "got inf" in out


def test_lab4_keras_model_right_answer_and_typical_mistakes(capsys):
    import keras

    sparse = keras.losses.SparseCategoricalCrossentropy
    right = keras_digits_model(output="linear", loss=sparse(from_logits=True))
    result, out = run(lab04.check_logits_model, right, capsys)
    assert result.passed and out == "✓ logits_model: all 9 checks passed\n"
    mistakes = [
        (
            dict(output="softmax", loss=sparse(from_logits=True)),
            "✗ check 6/9 (output activation): from_logits=True with a softmax output "
            "applies softmax twice",
        ),
        (
            dict(output="linear", loss=sparse()),
            "✗ check 7/9 (loss): a linear output gives logits, but the loss reads them as "
            "probabilities: write SparseCategoricalCrossentropy(from_logits=True)",
        ),
        (dict(output="softmax"), "✗ check 6/9 (output activation): a softmax output"),
        (
            dict(output="linear", loss=keras.losses.CategoricalCrossentropy(from_logits=True)),
            "✗ check 7/9 (loss): the labels are integers 0..k-1",
        ),
        (
            dict(output="linear", loss=sparse(from_logits=True), inputs=False),
            "✗ check 1/9 (input shape)",
        ),
    ]
    for kwargs, start in mistakes:
        _, out = run(lab04.check_logits_model, keras_digits_model(**kwargs), capsys)
        assert out.startswith(start), out


def test_lab4_probabilities_names_a_forgotten_softmax(capsys):
    _, out = run(lab04.check_logits_to_probabilities, lambda logits: logits, capsys)
    assert out == (
        "✗ check 1/3 (one row): logits_to_probabilities returned the logits unchanged: turn "
        "them into probabilities with tf.nn.softmax(logits)\n"
    )
    _, out = run(
        lab04.check_logits_to_probabilities, lambda logits: 1 / (1 + np.exp(-logits)), capsys
    )
    assert out.startswith("✗ check 1/3 (one row): a sigmoid scores each class alone")
    with np.errstate(over="ignore", invalid="ignore"):
        _, out = run(lab04.check_logits_to_probabilities, np.exp, capsys)
        assert out.startswith("✗ check 1/3 (one row): expected [[0.090031")
        naive = lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)  # noqa: E731
        _, out = run(lab04.check_logits_to_probabilities, naive, capsys)
    assert out.startswith("✗ check 3/3 (a logit of 1000, equal logits)") and "nan" in out
