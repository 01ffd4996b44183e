"""utils.exercises.keras_model on real Keras models: what a student built is described from
its raw facts (weights' shapes, activations, predictions), how it was fitted is read from the
code, and each typical mistake gets a message that says what to write instead."""

import json
import warnings

import keras
import numpy as np
import pytest

from utils.exercises.keras_model import (
    KerasModelChecker,
    LayerSpec,
    ModelSpec,
    compare,
    describe_model,
)

X = np.random.default_rng(0).normal(size=(40, 8))
Y_CLASSES = np.arange(40) % 4
SPEC = ModelSpec(
    input_shape=(8,),
    layers=(LayerSpec("Dense", 6, "relu"), LayerSpec("Dense", 4, "linear")),
    task="multiclass",
    loss="SparseCategoricalCrossentropy",
    from_logits=True,
    optimizer="Adam",
    learning_rate=0.01,
    epochs=2,
    batch_size=16,
    examples=40,
)
CHECK = KerasModelChecker("model", SPEC)


def build(
    output="linear",
    units=4,
    hidden=6,
    loss=None,
    optimizer=None,
    inputs=True,
    fit=True,
    epochs=2,
    batch_size=16,
):
    layers = [keras.Input((8,))] if inputs else []
    layers += [keras.layers.Dense(hidden, activation="relu"), keras.layers.Dense(units, output)]
    model = keras.Sequential(layers)
    model.compile(
        loss=loss or keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        optimizer=optimizer or keras.optimizers.Adam(learning_rate=0.01),
    )
    if fit:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Keras warns about from_logits with a softmax
            model.fit(X, Y_CLASSES, epochs=epochs, batch_size=batch_size, verbose=0)
    return model


FIT = "model.fit(X, Y_CLASSES, epochs=2, batch_size=16, verbose=0)"  # the code build() runs


def message(model, capsys, checker=CHECK, source=FIT):
    result = checker(model, source=[source])
    out = capsys.readouterr().out
    assert out == result.message + "\n"
    return result


def test_the_asked_for_model_passes_and_is_described(capsys):
    model = build()
    result = message(model, capsys)
    assert result.passed and result.message == "✓ model: all 9 checks passed"
    described = describe_model(model)
    assert json.loads(json.dumps(described)) == described
    assert described["input_shape"] == [8]
    assert described["layers"][-1] == {"class": "Dense", "units": 4, "activation": "linear"}
    assert described["loss"] == {"class": "SparseCategoricalCrossentropy", "from_logits": True}
    assert described["optimizer"]["class"] == "Adam"
    assert described["optimizer"]["learning_rate"] == pytest.approx(0.01)
    assert described["fit"] is None  # read from the notebook's code, not from the model


MISTAKES = [
    (
        dict(output="softmax"),
        "✗ check 5/9 (output activation): from_logits=True with a softmax output applies "
        'softmax twice: write Dense(4, activation="linear") (a linear output gives the logits)',
    ),
    (
        dict(units=1, fit=False),
        "✗ check 4/9 (output layer): the output layer has 1 unit; 4 classes need 4 output units, "
        'one per class: write Dense(4, activation="linear")',
    ),
    (
        dict(loss="sparse_categorical_crossentropy"),
        "✗ check 6/9 (loss): a linear output gives logits, but the loss reads them as "
        "probabilities: write SparseCategoricalCrossentropy(from_logits=True)",
    ),
    (
        dict(loss=keras.losses.CategoricalCrossentropy(from_logits=True), fit=False),
        "✗ check 6/9 (loss): the labels are integers 0..k-1: use SparseCategoricalCrossentropy "
        "(CategoricalCrossentropy expects one-hot rows): "
        "loss=SparseCategoricalCrossentropy(from_logits=True)",
    ),
    (
        dict(optimizer="sgd"),
        "✗ check 7/9 (optimizer): the optimizer is SGD, but Adam adapts each parameter's step "
        "to its own gradients (a running mean of g divided by the root of a running mean of "
        "g^2, bias-corrected); SGD takes one learning rate for every parameter: write "
        "optimizer=keras.optimizers.Adam(learning_rate=0.01)",
    ),
    (
        dict(optimizer=keras.optimizers.Adam(0.001)),
        "✗ check 8/9 (learning rate): the learning rate is 0.001; write Adam(learning_rate=0.01)",
    ),
    (
        dict(inputs=False, fit=False),
        "✗ check 1/9 (input shape): the model has no input shape: start it with "
        "keras.Input(shape=(8,))",
    ),
    (
        dict(hidden=5),
        '✗ check 3/9 (layer 1): layer 1 (Dense) has 5 units; write Dense(6, activation="relu")',
    ),
]


@pytest.mark.parametrize("kwargs,expected", MISTAKES, ids=[m[1][:40] for m in MISTAKES])
def test_typical_mistakes_say_what_to_write(kwargs, expected, capsys):
    result = message(build(**kwargs), capsys)
    assert not result.passed and result.message == expected


def test_fit_mistakes(capsys):
    spec = ModelSpec(**{**SPEC.__dict__})
    checker = KerasModelChecker("model", spec)
    assert (
        "not been trained: call model.fit(X, y, epochs=2, batch_size=16)"
        in message(build(fit=False), capsys, source="").message
    )
    three = FIT.replace("epochs=2", "epochs=3")
    assert "fit ran 3 epochs" in message(build(epochs=3), capsys, checker, three).message
    assert (
        "fit took 1 step(s) per epoch over 40 examples; batch_size=16 takes 3"
        in message(
            build(batch_size=40), capsys, checker, "model.fit(X, Y, batch_size=len(X), epochs=2)"
        ).message
    )
    twice = build()
    twice.fit(X, Y_CLASSES, epochs=2, batch_size=16, verbose=0)
    result = message(twice, capsys, checker, FIT + "\n" + FIT)
    assert "the model was fitted 2 times: rebuild it" in result.message


def test_task_specific_output_activations(capsys):
    binary = ModelSpec((8,), (LayerSpec("Dense", 1, "sigmoid"),), "binary")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="softmax")])
    result = message(model, capsys, KerasModelChecker("model", binary))
    assert "softmax over one unit is always 1" in result.message and "Dense(1, activation=" in (
        result.message
    )
    multilabel = ModelSpec((8,), (LayerSpec("Dense", 3, "sigmoid"),), "multilabel")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3), keras.layers.Softmax()])
    result = message(model, capsys, KerasModelChecker("model", multilabel))
    # a Softmax() layer after a linear Dense is that Dense's activation: the same verdict
    assert "softmax makes the labels compete" in result.message
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3, activation="softmax")])
    assert result.message == message(model, capsys, KerasModelChecker("model", multilabel)).message
    model = keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(3, activation="relu"), keras.layers.Softmax()]
    )
    result = message(model, capsys, KerasModelChecker("model", multilabel))
    assert "check 2/" in result.message and "the layers are Dense, Softmax" in result.message
    regression = ModelSpec((8,), (LayerSpec("Dense", 1, "linear"),), "regression")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="sigmoid")])
    result = message(model, capsys, KerasModelChecker("model", regression))
    assert "sigmoid outputs lie between 0 and 1" in result.message


def test_linear_output_without_from_logits_when_no_loss_is_prescribed(capsys):
    spec = ModelSpec((8,), (LayerSpec("Dense", 1),), "binary")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
    model.compile(loss="binary_crossentropy", optimizer="adam")
    result = message(model, capsys, KerasModelChecker("model", spec))
    assert result.message.endswith("write BinaryCrossentropy(from_logits=True)")


def test_convolutional_layers_are_described(capsys):
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(4, 3, strides=2, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    described = describe_model(model)["layers"]
    assert described[0] == {
        "class": "Conv2D",
        "filters": 4,
        "kernel_size": [3, 3],
        "strides": [2, 2],
        "padding": "valid",
        "activation": "relu",
    }
    spec = ModelSpec(
        (8, 8, 1),
        (
            LayerSpec("Conv2D", filters=4, kernel_size=(3, 3), strides=(1, 1), activation="relu"),
            LayerSpec("Flatten"),
            LayerSpec("Dense", 1, "sigmoid"),
        ),
        "binary",
    )
    result = message(model, capsys, KerasModelChecker("model", spec))
    assert result.message == (
        "✗ check 3/7 (layer 1): layer 1 (Conv2D) has strides (2, 2); write Conv2D(4, 3, "
        'activation="relu")'
    )
    assert [hint for hint, _ in compare(spec, describe_model(model))] == [
        "input shape",
        "layers",
        "layer 1",
        "layer 2",
        "output layer",
        "output activation",
        "loss and output",
    ]


def test_bad_input_is_refused(capsys):
    with pytest.raises(TypeError, match="model must be a Keras model"):
        describe_model("model")
    assert message("model", capsys).message == "✗ model: model must be a Keras model, got str"
    with pytest.raises(ValueError, match="task must be one of"):
        ModelSpec((8,), (LayerSpec("Dense", 1),), "clustering")
    with pytest.raises(TypeError, match="layers must be a non-empty"):
        ModelSpec((8,), (), "binary")
    with pytest.raises(ValueError, match="units must be an integer >= 1"):
        LayerSpec("Dense", 0)
    with pytest.raises(ValueError, match="batch_size needs examples"):
        ModelSpec((8,), (LayerSpec("Dense", 1),), "binary", batch_size=4)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        ModelSpec((8,), (LayerSpec("Dense", 1),), "binary", learning_rate=-1)
    with pytest.raises(TypeError, match="spec must be a ModelSpec"):
        KerasModelChecker("model", {"layers": []})
    with pytest.raises(TypeError, match="model must be the dict describe_model returns"):
        compare(SPEC, [])


def test_a_stub_model_of_none_fails_at_check_1(capsys):
    result = message(None, capsys)
    assert not result.passed and result.case == 1
    assert result.message == (
        "✗ check 1/9 (a Keras model): model is None: define it with Sequential"
    )


def test_a_sigmoid_output_where_logits_are_asked_for_names_the_recommended_form(capsys):
    spec = ModelSpec(
        (8,),
        (LayerSpec("Dense", 3, "linear"),),
        "multilabel",
        "integers",
        "BinaryCrossentropy",
        from_logits=True,
    )
    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3, activation="sigmoid")])
    model.compile(loss=keras.losses.BinaryCrossentropy(), optimizer="adam")
    result = message(model, capsys, KerasModelChecker("model", spec))
    assert "the recommended form leaves the sigmoid to the loss" in result.message


def test_a_stub_and_hidden_activations_are_named(capsys):
    """The exercise's stub (None) fails check 1; a hidden layer's activation is checked."""
    spec = ModelSpec(
        (8,), (LayerSpec("Dense", 6, "relu"), LayerSpec("Dense", 1, "relu")), "regression"
    )
    checker = KerasModelChecker("model", spec)
    assert message(None, capsys, checker).message == (
        "✗ check 1/6 (a Keras model): model is None: define it with Sequential"
    )

    def model(hidden, output):
        layers = [keras.layers.Dense(6, activation=hidden), keras.layers.Dense(1, output)]
        return keras.Sequential([keras.Input((8,)), *layers])

    assert message(model("relu", "relu"), capsys, checker).passed
    result = message(model("sigmoid", "relu"), capsys, checker)
    assert result.message == (
        "✗ check 3/6 (layer 1): layer 1 (Dense) has activation sigmoid; hidden layers use "
        'ReLU by default: write Dense(6, activation="relu")'
    )
    result = message(model("relu", "linear"), capsys, checker)
    assert "the target is never negative" in result.message
    linear = ModelSpec((8,), (LayerSpec("Dense", 1, "linear"),), "regression")
    result = message(model("relu", "relu"), capsys, KerasModelChecker("model", linear))
    assert "check 2/" in result.message  # two layers where one is asked for
    one = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation="relu")])
    result = message(one, capsys, KerasModelChecker("model", linear))
    assert "a ReLU output is never negative, but this target can be" in result.message


def test_either_form_when_the_student_decides(capsys):
    """from_logits=None: a sigmoid output with BinaryCrossentropy() and a linear output with
    from_logits=True both pass; a mismatched pair is named, either way round."""
    spec = ModelSpec(
        (8,),
        (LayerSpec("Dense", 1, "sigmoid"),),
        "binary",
        loss="BinaryCrossentropy",
        from_logits=None,
    )
    checker = KerasModelChecker("model", spec)

    def compiled(activation, from_logits, *extra):
        model = keras.Sequential(
            [keras.Input((8,)), keras.layers.Dense(1, activation=activation), *extra]
        )
        model.compile(loss=keras.losses.BinaryCrossentropy(from_logits=from_logits))
        return model

    for right in (
        compiled("sigmoid", False),
        compiled(None, True),
        compiled("linear", True),
        compiled(None, False, keras.layers.Activation("sigmoid")),
    ):
        assert message(right, capsys, checker).passed
    assert "reads them as probabilities" in message(compiled(None, False), capsys, checker).message
    assert "applies sigmoid twice" in message(compiled("sigmoid", True), capsys, checker).message
    wrong = message(compiled("softmax", False), capsys, checker).message
    assert "softmax over one unit is always 1" in wrong and "from_logits=True" in wrong
    # another loss: the advice keeps the student's form (a linear output needs from_logits)
    for activation, advice in (("sigmoid", "BinaryCrossentropy()"), (None, "(from_logits=True)")):
        model = compiled(activation, False)
        model.compile(loss="mse")
        wrong = message(model, capsys, checker).message
        assert "the loss is MeanSquaredError, but a 0/1 label" in wrong and advice in wrong
