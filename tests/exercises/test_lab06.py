"""Lab 6's checkers: one step of Adam, and a Keras model trained with Adam."""

import math

import numpy as np

from tests.support.answers import (
    assert_catalogue,
    dense_model,
    fitted,
    keras_digits_variants,
    my_adam_step,
    run,
)
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

    def once_corrected(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # step 1's factor
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        m_hat, v_hat = m / (1 - beta_1), v / (1 - beta_2)
        return w - alpha * m_hat / (np.sqrt(v_hat) + epsilon), m, v

    def power_of_weight(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # (1 - beta)^t
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        m_hat, v_hat = m / (1 - beta_1) ** t, v / (1 - beta_2) ** t
        return w - alpha * m_hat / (np.sqrt(v_hat) + epsilon), m, v

    def multiplied(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # m (1 - beta^t)
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        m_hat, v_hat = m * (1 - beta_1**t), v * (1 - beta_2**t)
        return w - alpha * m_hat / (np.sqrt(v_hat) + epsilon), m, v

    def m_only(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # v left uncorrected
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        return w - alpha * m / (1 - beta_1**t) / (np.sqrt(v) + epsilon), m, v

    def no_epsilon(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # 0 / 0 where g = 0
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        return w - alpha * (m / (1 - beta_1**t)) / np.sqrt(v / (1 - beta_2**t)), m, v

    def from_zero(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):  # the m, v given ignored
        m, v = (1 - beta_1) * g, (1 - beta_2) * g**2
        m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
        return w - alpha * m_hat / (np.sqrt(v_hat) + epsilon), m, v

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
            (once_corrected, "1 - beta is the correction of step 1 only"),
            (power_of_weight, "(1 - beta)^t is not the sum of the weights"),
            (multiplied, "the correction multiplies"),
            (m_only, "v is biased towards 0 as m is"),
            (no_epsilon, "epsilon is missing"),
            (from_zero, "m and v carry the earlier steps' gradients"),
        ],
        [looped, rate_form],
        capsys,
    )


def test_lab6_adam_model_decisions_are_named(capsys):
    """The student decides the output layer, the loss and the optimizer (the one this lab
    teaches), then fits: either form passes, fitted as asked; each wrong decision is named
    with why (the wrong decisions fail before the fit check, so they need no fit)."""
    import keras

    from utils import data

    digits = data.digits()
    sparse = keras.losses.SparseCategoricalCrossentropy

    def trained(model, epochs=2, batch_size=32):
        model.fit(digits.X_train, digits.y_train, epochs=epochs, batch_size=batch_size, verbose=0)
        return fitted(model, "model", epochs, batch_size)

    def digits_model(output="linear", loss=None, optimizer=None, units=10):
        return dense_model(
            [(25, "relu"), (15, "relu"), (units, output)],
            64,
            loss or sparse(from_logits=output == "linear"),
            optimizer or keras.optimizers.Adam(learning_rate=1e-3),
        )

    checker = lab06.check_model
    right = [
        trained(digits_model()),
        trained(digits_model(output="softmax")),
        trained(keras_digits_variants(stable=False)[0]),  # .add, a Softmax() layer
    ]
    for model in right:
        result, out = run(checker, model, capsys)
        assert result.passed and out == "✓ model: all 10 checks passed\n", out
    mistakes = [  # (the model, where the wrong decision is named, why)
        (
            digits_model(optimizer=keras.optimizers.SGD(learning_rate=1e-3)),
            "8/10 (optimizer)",
            "Adam adapts each parameter's step to its own gradients",
        ),
        (
            digits_model(optimizer=keras.optimizers.RMSprop(learning_rate=1e-3)),
            "8/10 (optimizer)",
            "RMSprop divides by the root of a running mean of g^2 too",
        ),
        (
            digits_model(optimizer=keras.optimizers.Adam(learning_rate=0.01)),
            "9/10 (learning rate)",
            "the learning rate is 0.01",
        ),
        (
            digits_model(output="softmax", loss=sparse(from_logits=True)),
            "7/10 (loss)",
            "from_logits=True with a softmax output applies softmax twice",
        ),
        (
            digits_model(loss=sparse()),
            "7/10 (loss)",
            "a linear output gives logits, but the loss reads them as probabilities",
        ),
        (digits_model(output="sigmoid"), "6/10", "sigmoid scores each class alone"),
        (
            digits_model(loss=keras.losses.CategoricalCrossentropy(from_logits=True)),
            "7/10 (loss)",
            "the labels are integers 0..k-1",
        ),
        (digits_model(units=1), "5/10 (output layer)", "10 classes need 10 output units"),
        (digits_model(), "10/10 (fit)", "the model has not been trained"),
        (trained(digits_model(), 1, batch_size=1437), "10/10 (fit)", "fit ran 1 epochs"),
    ]
    for model, where, why in mistakes:
        result, out = run(checker, model, capsys)
        assert not result.passed and out.startswith(f"✗ check {where}") and why in out, out
    model = dense_model([(25, "relu"), (15, "relu"), (10, "linear")], 64)
    _, out = run(checker, model, capsys)
    assert out.startswith("✗ check 7/10 (loss): the model is not compiled")
