"""Lab 7's checkers: the 1-D convolution, and the convolutional model in Keras."""


from tests.support.answers import conv1d, fitted, run
from utils.exercises import lab07


def test_typical_mistakes_are_named(capsys):
    _, out = run(lab07.check_conv1d, lambda X, K, b, s: conv1d(X, K[::-1], b, s), capsys)
    assert out.startswith("✗ check 2/6")  # a textbook convolution flips the kernel
    _, out = run(lab07.check_conv1d, lambda X, K, b, s: conv1d(X, K, b, 1), capsys)
    assert "expected" in out


def conv_model(
    inputs=True,
    first=(4, 20),
    output="linear",
    units=1,
    loss=None,
    optimizer=None,
    epochs=5,
    fit=True,
):
    """Lab 7's conv_model as a student might write it; the defaults are the right answer
    (epochs=0: neither compiled nor trained; fit=False: compiled, not trained)."""
    import keras

    from utils import data, lab

    lab.setup()
    layers = [keras.Input(shape=(100, 1))] if inputs else []
    layers += [
        keras.layers.Conv1D(first[0], first[1], strides=10, activation="relu"),
        keras.layers.Conv1D(4, 5, strides=2, activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(units, activation=output),
    ]
    model = keras.Sequential(layers)
    if not inputs or not epochs:  # checked before compile and fit
        return model
    model.compile(
        loss=loss or keras.losses.BinaryCrossentropy(from_logits=True),
        optimizer=optimizer or keras.optimizers.Adam(learning_rate=0.01),
    )
    if not fit:
        return model
    ekg = data.ekg_signals()
    X, y = ekg.X_train[:80, :, None], ekg.y_train[:80]
    model.fit(X, y, epochs=epochs, batch_size=len(X), verbose=0)
    return fitted(model, "conv_model", epochs, "len(X)")


def test_lab7_conv_model_checker(capsys):
    import keras

    check = lab07.check_conv_model
    result, out = run(check, conv_model(), capsys)
    assert result.passed and out == "✓ conv_model: all 11 checks passed\n"
    mistakes = [
        (None, "✗ check 1/11 (a Keras model): conv_model is None"),
        (conv_model(inputs=False), "✗ check 1/11 (input shape): the model has no input shape"),
        (conv_model(first=(4, 10)), "✗ check 3/11 (layer 1): layer 1 (Conv1D) has kernel size"),
        (conv_model(first=(2, 20)), "✗ check 3/11 (layer 1): layer 1 (Conv1D) has 2 filters"),
        (conv_model(units=2, epochs=0), "✗ check 6/11 (output layer): the output layer has 2"),
        (
            conv_model(output="sigmoid", fit=False),
            "✗ check 7/11 (output activation): from_logits=True with a sigmoid output",
        ),
        (conv_model(loss="mse"), "✗ check 8/11 (loss): the loss is MeanSquaredError"),
        (
            conv_model(loss=keras.losses.BinaryCrossentropy()),
            "✗ check 8/11 (loss): a linear output gives logits",
        ),
        (
            conv_model(optimizer=keras.optimizers.SGD(learning_rate=0.01)),
            "✗ check 9/11 (optimizer): the optimizer is SGD",
        ),
        (
            conv_model(optimizer=keras.optimizers.Adam(learning_rate=0.1)),
            "✗ check 10/11 (learning rate): the learning rate is 0.1",
        ),
        (conv_model(epochs=3), "✗ check 11/11 (fit): fit ran 3 epochs"),
    ]
    for model, start in mistakes:
        _, out = run(check, model, capsys)
        assert out.startswith(start), out
