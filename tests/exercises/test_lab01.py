"""Lab 1's checkers: the three steps in Keras (its function checkers, the logistic cost and one
gradient step, are run with every other in test_grading.py)."""


from tests.support.answers import fitted, run
from utils.exercises import lab01


def lab1_model(
    hidden=3,
    output="sigmoid",
    inputs=True,
    loss=None,
    optimizer=None,
    epochs=5,
    batch_size=320,
    fit=True,
):
    """The Lab 1 Keras exercise's answer, or a typical mistake (the arguments that differ)."""
    import warnings

    import keras

    X, y = lab01._coffee()  # the lab's training set
    layers = [keras.Input(shape=(2,))] if inputs else []
    layers += [
        keras.layers.Dense(hidden, activation="sigmoid"),
        keras.layers.Dense(1, activation=output),
    ]
    model = keras.Sequential(layers)
    model.compile(
        loss=loss or keras.losses.BinaryCrossentropy(),
        optimizer=optimizer or keras.optimizers.SGD(learning_rate=1.0),
    )
    if fit:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Keras warns about from_logits with a sigmoid
            model.fit(X, y, epochs=epochs, batch_size=batch_size, verbose=0)
        fitted(model, "model", epochs, batch_size)
    return model


def test_lab1_three_steps_in_keras(capsys):
    import keras

    check = lab01.check_model
    result, out = run(check, lab1_model(), capsys)
    assert result.passed and out == "✓ model: all 9 checks passed\n"
    _, out = run(check, None, capsys)
    assert out == "✗ check 1/9 (a Keras model): model is None: define it with Sequential\n"
    mistakes = [
        # without keras.Input the model has no input shape until fit builds it
        (dict(inputs=False, fit=False), "check 1/9 (input shape)", "keras.Input(shape=(2,))"),
        (dict(hidden=4), "check 3/9 (layer 1)", 'write Dense(3, activation="sigmoid")'),
        (dict(output="softmax"), "check 5/9", "softmax over one unit is always 1"),
        (dict(output="linear"), "check 5/9", 'write Dense(1, activation="sigmoid")'),
        (dict(loss=keras.losses.MeanSquaredError()), "check 6/9 (loss)", "BinaryCrossentropy()"),
        (
            dict(loss=keras.losses.BinaryCrossentropy(from_logits=True)),
            "check 6/9 (loss)",
            "the output gives probabilities, not logits: write BinaryCrossentropy()",
        ),
        (dict(optimizer=keras.optimizers.Adam(1.0)), "check 7/9 (optimizer)", "SGD"),
        (
            dict(optimizer=keras.optimizers.SGD(learning_rate=0.1)),
            "check 8/9 (learning rate)",
            "SGD(learning_rate=1.0)",
        ),
        (dict(epochs=10), "check 9/9 (fit)", "fit ran 10 epochs"),
        (dict(batch_size=32), "check 9/9 (fit)", "batch_size=320 takes 1"),
        (dict(fit=False), "check 9/9 (fit)", "not been trained"),
    ]
    for kwargs, where, fragment in mistakes:
        result, out = run(check, lab1_model(**kwargs), capsys)
        assert not result.passed and where in out and fragment in out, (kwargs, out)
