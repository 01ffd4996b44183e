"""Lab 6's checkers: one step of Adam, and a Keras model trained with Adam."""

import math

import numpy as np

from tests.support.answers import assert_catalogue, dense_model, fitted, my_adam_step, run
from utils.exercises import lab06


def test_my_adam_step_mistakes_are_named(capsys):
    def uncorrected(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # no m_hat, v_hat
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        return w - alpha * m / (np.sqrt(v) + epsilon), m, v

    def epsilon_inside(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # sqrt(v_hat + eps)
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
        return w - alpha * m_hat / np.sqrt(v_hat + epsilon), m, v

    def keras_form(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # epsilon on sqrt(v)
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g * g
        step = alpha * np.sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (np.sqrt(v) + epsilon)
        return w - step, m, v

    def plain_g(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # v of g, not g^2
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g
        return w - alpha * (m / (1 - beta_1**t)) / (np.sqrt(v / (1 - beta_2**t)) + epsilon), m, v

    def defaults(w, g, m, v, t, alpha, *ignored):  # the paper's betas, whatever is given
        return my_adam_step(w, g, m, v, t, alpha)

    def old_averages(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # m, v not returned new
        w_new, _, _ = my_adam_step(w, g, m, v, t, alpha, beta_1, beta_2, epsilon)
        return w_new, m, v

    def corrected_returned(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # m_hat, v_hat
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        m, v = m / (1 - beta_1**t), v / (1 - beta_2**t)
        return w - alpha * m / (np.sqrt(v) + epsilon), m, v

    def swapped(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # beta on the new gradient
        m = beta_1 * g + (1 - beta_1) * m
        v = beta_2 * g**2 + (1 - beta_2) * v
        return w - alpha * (m / (1 - beta_1**t)) / (np.sqrt(v / (1 - beta_2**t)) + epsilon), m, v

    def next_t(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # t + 1 in the correction
        return my_adam_step(w, g, m, v, t + 1, alpha, beta_1, beta_2, epsilon)

    def in_place(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # m *= ..., w -= ...
        m *= beta_1
        m += (1 - beta_1) * g
        v *= beta_2
        v += (1 - beta_2) * g**2
        w -= alpha * (m / (1 - beta_1**t)) / (np.sqrt(v / (1 - beta_2**t)) + epsilon)
        return w, m, v

    def looped(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # one parameter at a time
        w, m, v = (np.array(a, dtype=float) for a in (w, m, v))
        for i in np.ndindex(w.shape):
            m[i] = beta_1 * m[i] + (1 - beta_1) * g[i]
            v[i] = beta_2 * v[i] + (1 - beta_2) * g[i] ** 2
            m_hat = m[i] / (1 - beta_1**t)
            w[i] -= alpha * m_hat / (math.sqrt(v[i] / (1 - beta_2**t)) + epsilon)
        return w, m, v

    def rate_form(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # the corrections factored
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * np.square(g)
        scale = np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        return w - alpha * scale * m / (np.sqrt(v) + epsilon * np.sqrt(1 - beta_2**t)), m, v

    assert_catalogue(
        lab06.check_my_adam_step,
        [
            (uncorrected, "the bias correction is missing"),
            (epsilon_inside, "epsilon goes outside the square root"),
            (keras_form, "that is Keras's form"),
            (plain_g, "v averages the squared gradient"),
            (defaults, "not the defaults"),
            (old_averages, "return the new m and v"),
            (corrected_returned, "not the bias-corrected m_hat and v_hat"),
            (swapped, "beta weighs the old average"),
            (next_t, "t is already this step's number"),
            (in_place, "my_adam_step changed its argument"),
        ],
        [looped, rate_form],
        capsys,
    )


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
