"""Lab 2's checkers: ReLU and its derivative, output activations, activations in Keras."""

import numpy as np

from tests.support.answers import assert_catalogue, run
from utils.exercises import lab02


def test_my_relu_mistakes_are_named(capsys):
    def max_along_axis(z):  # np.max for np.maximum
        return np.max(z, 0)

    def absolute(z):  # |z| for max(0, z)
        return np.abs(z)

    def step(z):  # the derivative written for the function
        return (z > 0).astype(float)

    def clipped(z):  # clipped at 1 as well
        return np.clip(z, 0, 1)

    def leaky(z):  # the leaky ReLU
        return np.where(z > 0, z, 0.01 * z)

    def flattened(z):  # a loop over z.flatten() loses the shape
        return np.array([max(v, 0.0) for v in z.flatten()])

    def half_sum(z):  # (z + |z|) / 2: z + |z| overflows for z above 9e307
        return (z + np.abs(z)) / 2

    def in_place(z):  # negative entries set to 0 in the caller's array
        z[z < 0] = 0
        return z

    def looped(z):  # entry by entry, keeping the shape
        out = np.zeros_like(z)
        for index, value in np.ndenumerate(z):
            out[index] = value if value > 0 else 0.0
        return out

    def masked(z):  # z times a 0/1 mask
        return z * (z > 0)

    assert_catalogue(
        lab02.check_my_relu,
        [
            (max_along_axis, "np.max(z, 0) is the largest entry along axis 0"),
            (absolute, "|z| keeps the size of a negative z"),
            (step, "that is ReLU's derivative"),
            (clipped, "ReLU has no upper bound"),
            (leaky, "that is the leaky ReLU"),
            (flattened, "the shape is lost"),
            (half_sum, "(z + |z|) / 2 overflows to inf"),
            (in_place, "my_relu changed its argument z in place"),
        ],
        [looped, masked, lambda z: np.where(z > 0, z, 0.0)],
        capsys,
    )


def test_my_relu_derivative_mistakes_are_named(capsys):
    def at_zero(z):  # g'(0) = 1
        return (z >= 0).astype(float)

    def heaviside(z):  # numpy's step with the value 1 at 0
        return np.heaviside(z, 1.0)

    def relu_itself(z):  # the function for its derivative
        return np.maximum(z, 0)

    def sign(z):  # sign(z) for the slope
        return np.sign(z)

    def ones(z):  # the slope where z > 0, everywhere
        return np.ones_like(z)

    def leaky(z):  # the leaky ReLU's slope
        return np.where(z > 0, 1.0, 0.01)

    def flattened(z):  # a loop over z.flatten() loses the shape
        return np.array([1.0 if v > 0 else 0.0 for v in z.flatten()])

    def backward_difference(z):  # the slope measured: 0 where z - h rounds to z
        h = 1e-6
        return (np.maximum(z, 0) - np.maximum(z - h, 0)) / h

    def looped(z):  # entry by entry, keeping the shape
        out = np.zeros_like(z)
        for index, value in np.ndenumerate(z):
            out[index] = 1.0 if value > 0 else 0.0
        return out

    assert_catalogue(
        lab02.check_my_relu_derivative,
        [
            (at_zero, "g'(0) is 0 here"),
            (heaviside, "g'(0) is 0 here"),
            (relu_itself, "that is ReLU itself"),
            (sign, "sign(z) is -1 for z < 0"),
            (ones, "the slope is 0 where z <= 0"),
            (leaky, "that is the leaky ReLU's slope"),
            (backward_difference, "a difference quotient only approximates the slope"),
            (flattened, "the shape is lost"),
        ],
        [looped, lambda z: np.heaviside(z, 0.0), lambda z: (z > 0) * 1.0],
        capsys,
    )


def test_output_activation_checker(capsys):
    right = {p: lab02._OUTPUT_PROBLEMS[p][0] for p in lab02.OUTPUT_PROBLEMS}
    result, out = run(lab02.check_output_activations, right, capsys)
    assert result.passed and out == "✓ output activations: all 6 checks passed\n"
    wrong_decisions = [  # (problem, a wrong activation, its check, why it is named)
        ("the price of a house, in $1000", "linear", 3, "the target is never negative"),
        ("the price of a house, in $1000", "sigmoid", 3, "the target is never negative"),
        ("tomorrow's change in a share price, in $", "relu", 2, "the target may be negative"),
        ("the temperature at noon tomorrow, in °C", "sigmoid", 5, "below 0 °C is possible"),
        ("will a customer buy the product (yes/no)", "relu", 1, "the target is 0 or 1"),
        ("is this tumour malignant", "linear", 4, "the target is 0 or 1"),
    ]
    for problem, wrong, check, why in wrong_decisions:
        _, out = run(lab02.check_output_activations, {**right, problem: wrong}, capsys)
        assert out.startswith(f"✗ check {check}/6") and why in out and f"(not {wrong!r})" in out
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


def price_variants():
    """The price model written two other right ways: with ``.add`` and a ReLU() layer after a
    linear output unit, and with the functional API."""
    import keras

    added = keras.Sequential()
    for layer in (keras.Input(shape=(1,)), keras.layers.Dense(16, "relu"), keras.layers.Dense(1)):
        added.add(layer)
    added.add(keras.layers.ReLU())
    inputs = keras.Input(shape=(1,))
    hidden = keras.layers.Dense(16, activation="relu")(inputs)
    functional = keras.Model(inputs, keras.layers.Dense(1, activation="relu")(hidden))
    for model in (added, functional):
        model.compile(loss="mean_squared_error")
    return added, functional


def test_lab2_price_model_decisions_are_named(capsys):
    import keras

    check = lab02.check_price_model
    for model in (lab2_model(), *price_variants()):
        result, out = run(check, model, capsys)
        assert result.passed and out == "✓ price_model: all 6 checks passed\n", out
    _, out = run(check, None, capsys)
    assert out.startswith("✗ check 1/6 (a Keras model): price_model is None")
    mistakes = [  # (the wrong decision, where it is named, why)
        (dict(hidden="sigmoid"), "3/6 (layer 1)", "hidden layers use ReLU by default"),
        (dict(units=8), "3/6 (layer 1)", "has 8 units"),
        (dict(outputs=2), "4/6 (output layer)", "one number to predict needs 1 output unit"),
        (dict(output="linear"), "5/6", "never negative; a linear output can go below 0"),
        (dict(output="sigmoid"), "5/6", "sigmoid outputs lie between 0 and 1, and the target"),
        (
            dict(loss=keras.losses.BinaryCrossentropy()),
            "6/6 (loss)",
            "a number to predict is judged by how far it is off, the squared error",
        ),
        (dict(loss=keras.losses.MeanAbsoluteError()), "6/6 (loss)", "MeanSquaredError()"),
        (dict(compiled=False), "6/6 (loss)", "not compiled"),
    ]
    for kwargs, where, why in mistakes:
        result, out = run(check, lab2_model(**kwargs), capsys)
        assert not result.passed and out.startswith(f"✗ check {where}") and why in out, out
