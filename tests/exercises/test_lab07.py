"""Lab 7's checkers: the 1-D convolution, and the convolutional model in Keras."""

import numpy as np

from tests.support.answers import assert_catalogue, conv1d, fitted, run
from utils.exercises import lab07


def test_conv1d_mistakes_are_named(capsys):
    def flipped(X, K, b, strides):  # the textbook convolution flips the kernel
        return conv1d(X, K[::-1], b, strides)

    def stride_one(X, K, b, strides):  # the stride ignored
        return conv1d(X, K, b, 1)

    def step_one(X, K, b, strides):  # the right number of windows, one sample apart
        size, positions = K.shape[0], (X.shape[1] - K.shape[0]) // strides + 1
        return np.stack(
            [np.einsum("mki,kif->mf", X[:, j : j + size], K) + b for j in range(positions)],
            axis=1,
        )

    def one_short(X, K, b, strides):  # (length - size) // strides windows, not + 1
        size, positions = K.shape[0], (X.shape[1] - K.shape[0]) // strides
        Z = np.zeros((X.shape[0], positions, K.shape[2]))
        for j in range(positions):
            window = X[:, j * strides : j * strides + size, :]
            Z[:, j, :] = np.einsum("mki,kif->mf", window, K) + b
        return Z

    def no_bias(X, K, b, strides):  # b forgotten
        return conv1d(X, K, np.zeros_like(b), strides)

    def first_channel(X, K, b, strides):  # the channels not summed
        return conv1d(X[:, :, :1], K[:, :1, :], b, strides)

    def same_padding(X, K, b, strides):  # zeros around X, as Conv1D(padding="same")
        length, size = X.shape[1], K.shape[0]
        positions = -(-length // strides)
        pad = max((positions - 1) * strides + size - length, 0)
        padded = np.pad(X, ((0, 0), (pad // 2, pad - pad // 2), (0, 0)))
        return conv1d(padded, K, b, strides)

    def relu(X, K, b, strides):  # the lab's activation applied
        return np.maximum(conv1d(X, K, b, strides), 0)

    def looped(X, K, b, strides):  # every sum written out
        m, length, channels = X.shape
        size, _, filters = K.shape
        positions = (length - size) // strides + 1
        Z = np.zeros((m, positions, filters))
        for e in range(m):
            for j in range(positions):
                for f in range(filters):
                    total = b[f]
                    for k in range(size):
                        for c in range(channels):
                            total += X[e, j * strides + k, c] * K[k, c, f]
                    Z[e, j, f] = total
        return Z

    def tensordot(X, K, b, strides):  # all windows at once, one tensordot
        size = K.shape[0]
        starts = range(0, X.shape[1] - size + 1, strides)
        windows = np.stack([X[:, s : s + size, :] for s in starts], axis=1)
        return np.tensordot(windows, K, axes=([2, 3], [0, 1])) + b

    def einsum(X, K, b, strides):  # a view of every window, one einsum
        windows = np.lib.stride_tricks.sliding_window_view(X, K.shape[0], axis=1)[:, ::strides]
        return np.einsum("mpck,kcf->mpf", windows, K) + b

    assert_catalogue(
        lab07.check_conv1d,
        [
            (flipped, "the kernel is flipped"),
            (stride_one, "the stride is ignored"),
            (step_one, "window j starts at sample j * strides"),
            (one_short, "the last window is missing"),
            (no_bias, "the bias is missing"),
            (first_channel, "only the first input channel is used"),
            (same_padding, 'that is padding "same"'),
            (relu, "a ReLU is applied"),
        ],
        [looped, tensordot, einsum],
        capsys,
    )


def traces():
    """Lab 7's 80 training traces ``X: (80, 100, 1)`` and labels ``(80, 1)``."""
    from utils import data

    ekg = data.ekg_signals()
    return ekg.X_train[:80, :, None], ekg.y_train[:80]


def trained(model, epochs=5):
    """``model`` (compiled) fitted as the exercise asks, the fit recorded as notebook code."""
    X, y = traces()
    model.fit(X, y, epochs=epochs, batch_size=len(X), verbose=0)
    return fitted(model, "conv_model", epochs, "len(X)")


def conv_model(
    inputs=True,
    first=(4, 20),
    output="sigmoid",
    units=1,
    loss=None,
    optimizer=None,
    epochs=5,
    fit=True,
    padding=("valid", "valid"),
):
    """Lab 7's conv_model as a student might write it; the defaults are a right answer, a
    sigmoid output with BinaryCrossentropy() (epochs=0: neither compiled nor trained;
    fit=False: compiled, not trained)."""
    import keras

    from utils import lab

    lab.setup()
    layers = [keras.Input(shape=(100, 1))] if inputs else []
    layers += [
        keras.layers.Conv1D(first[0], first[1], strides=10, activation="relu", padding=padding[0]),
        keras.layers.Conv1D(4, 5, strides=2, activation="relu", padding=padding[1]),
        keras.layers.Flatten(),
        keras.layers.Dense(units, activation=output),
    ]
    model = keras.Sequential(layers)
    if not inputs or not epochs:  # checked before compile and fit
        return model
    model.compile(
        loss=loss or keras.losses.BinaryCrossentropy(from_logits=output == "linear"),
        optimizer=optimizer or keras.optimizers.Adam(learning_rate=0.01),
    )
    return trained(model, epochs) if fit else model


def test_lab7_conv_model_wrong_decisions_are_named(capsys):
    import keras

    check = lab07.check_conv_model
    mistakes = [
        (None, "✗ check 1/11 (a Keras model): conv_model is None"),
        (conv_model(inputs=False), "✗ check 1/11 (input shape): the model has no input shape"),
        # the lecture's layers are given: a slip in them is named
        (conv_model(first=(4, 10)), "✗ check 3/11 (layer 1): layer 1 (Conv1D) has kernel size"),
        (conv_model(first=(2, 20)), "✗ check 3/11 (layer 1): layer 1 (Conv1D) has 2 filters"),
        # two outputs for a yes/no label
        (
            conv_model(units=2, output="softmax", epochs=0),
            "✗ check 6/11 (output layer): the output layer has 2 units; a yes/no target needs 1",
        ),
        # a softmax over one unit: always 1
        (
            conv_model(output="softmax", fit=False),
            "✗ check 7/11 (output activation): softmax over one unit is always 1",
        ),
        # a hidden layer's ReLU on the output: no probability
        (
            conv_model(output="relu", fit=False),
            "✗ check 7/11 (output activation): a ReLU output is not a probability",
        ),
        # from_logits=True on a sigmoid's probabilities
        (
            conv_model(loss=keras.losses.BinaryCrossentropy(from_logits=True), fit=False),
            "✗ check 8/11 (loss): from_logits=True with a sigmoid output applies sigmoid twice",
        ),
        # a linear output's logits read as probabilities
        (
            conv_model(output="linear", loss=keras.losses.BinaryCrossentropy(), fit=False),
            "✗ check 8/11 (loss): a linear output gives logits",
        ),
        # a regression loss for a yes/no label
        (conv_model(loss="mse", fit=False), "✗ check 8/11 (loss): the loss is MeanSquaredError"),
        # what the lecture fixes: the optimizer, its rate, the epochs
        (
            conv_model(optimizer=keras.optimizers.SGD(learning_rate=0.01), fit=False),
            "✗ check 9/11 (optimizer): the optimizer is SGD",
        ),
        (
            conv_model(optimizer=keras.optimizers.Adam(learning_rate=0.1), fit=False),
            "✗ check 10/11 (learning rate): the learning rate is 0.1",
        ),
        (conv_model(epochs=3), "✗ check 11/11 (fit): fit ran 3 epochs"),
        (conv_model(fit=False), "✗ check 11/11 (fit): the model has not been trained"),
    ]
    for model, start in mistakes:
        result, out = run(check, model, capsys)
        assert not result.passed and out.startswith(start), out


def test_lab7_conv_model_with_padding_same_is_not_the_lectures_network(capsys):
    """Padding "same" adds zeros around each trace: in the first layer 10 windows, not the
    lecture's 9 (the Dense layer's weights keep their shape, 3 positions x 4 filters), so
    only the forward pass of the valid layers tells it apart; in the second 5, not 3. The
    checker names the layer's padding."""
    for k, padding in enumerate((("same", "valid"), ("valid", "same")), start=1):
        result, out = run(lab07.check_conv_model, conv_model(padding=padding), capsys)
        assert not result.passed and f'layer {k} (Conv1D) has padding "same"' in out, out
        assert 'adding no zeros around it (padding "valid"' in out, out


def test_lab7_conv_model_right_decisions_written_other_ways_pass(capsys):
    import keras

    from utils import lab

    layers, losses = keras.layers, keras.losses

    def hidden():
        return [
            layers.Conv1D(4, 20, strides=10, activation="relu"),
            layers.Conv1D(4, 5, strides=2, activation="relu"),
            layers.Flatten(),
        ]

    def adam():
        return keras.optimizers.Adam(learning_rate=0.01)

    lab.setup()
    added = keras.Sequential([keras.Input(shape=(100, 1))])  # .add; activation=None, logits
    for layer in [*hidden(), layers.Dense(1, activation=None)]:
        added.add(layer)
    added.compile(loss=losses.BinaryCrossentropy(from_logits=True), optimizer=adam())

    inputs = keras.Input(shape=(100, 1))  # the functional API; the sigmoid as its own layer
    x = inputs
    for layer in hidden():
        x = layer(x)
    functional = keras.Model(inputs, layers.Activation("sigmoid")(layers.Dense(1)(x)))
    functional.compile(loss="binary_crossentropy", optimizer=adam())

    right = [conv_model(), conv_model(output="linear"), trained(added), trained(functional)]
    for model in right:
        result, out = run(lab07.check_conv_model, model, capsys)
        assert result.passed and out == "✓ conv_model: all 11 checks passed\n", out
