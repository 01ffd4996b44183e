"""Lab 6's checkers: one step of Adam, and a Keras model trained with Adam."""

import numpy as np

from tests.support.answers import dense_model, fitted, my_adam_step, run
from utils.exercises import lab06


def test_typical_mistakes_are_named(capsys):
    def keras_form(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g * g
        step = alpha * np.sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (np.sqrt(v) + epsilon)
        return w - step, m, v

    _, out = run(lab06.check_my_adam_step, keras_form, capsys)
    assert out.startswith("✗ check 5/6 (g = 1e-9: epsilon is added")
    _, out = run(lab06.check_my_adam_step, lambda *a: my_adam_step(*a[:6]), capsys)
    assert out.startswith("✗ check 6/6")  # the default betas, not the ones given


def test_lab6_adam_model(capsys):
    import keras

    from utils import data

    digits = data.digits()

    def trained(optimizer=None, epochs=2, batch_size=32, output="linear", fit=True):
        model = dense_model(
            [(25, "relu"), (15, "relu"), (10, output)],
            64,
            keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            optimizer or keras.optimizers.Adam(learning_rate=1e-3),
        )
        if fit:
            model.fit(
                digits.X_train, digits.y_train, epochs=epochs, batch_size=batch_size, verbose=0
            )
            fitted(model, "model", epochs, batch_size)
        return model

    checker = lab06.check_model
    result, out = run(checker, trained(), capsys)
    assert result.passed and out == "✓ model: all 10 checks passed\n"
    mistakes = [
        (trained(keras.optimizers.SGD(learning_rate=1e-3), 1), "check 8/10 (optimizer)", "SGD"),
        (trained(keras.optimizers.RMSprop(learning_rate=1e-3), 1), "check 8/10", "RMSprop"),
        (trained(keras.optimizers.Adam(), 1, batch_size=1437), "check 10/10 (fit)", "ran 1"),
        (trained(keras.optimizers.Adam(learning_rate=0.01), 1), "check 9/10 (learning rate)", ""),
        (trained(epochs=1, batch_size=1437), "check 10/10 (fit)", "epochs=2"),
        (
            trained(output="softmax", fit=False),
            "check 6/10",
            "from_logits=True with a softmax output",
        ),
    ]
    for model, where, what in mistakes:
        result, out = run(checker, model, capsys)
        assert not result.passed and out.startswith(f"✗ {where}") and what in out, out
    model = dense_model([(25, "relu"), (15, "relu"), (10, "linear")], 64)
    _, out = run(checker, model, capsys)
    assert out.startswith("✗ check 7/10 (loss): the model is not compiled")
