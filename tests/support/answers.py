"""What the checker tests hand in: right answers by hand to every function exercise
(``RIGHT``: checker -> answer), the models of the Keras exercises that several labs share, and
``run``, which hands an answer to a checker and returns its Result and what it printed."""

import json
import sys

import cloudpickle
import numpy as np

from utils.exercises import lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08


def gradient_step(X, y, w, b, alpha):
    err = 1 / (1 + np.exp(-(X @ w + b))) - y
    return w - alpha * X.T @ err / len(y), b - alpha * np.mean(err)


def train_logistic(X, y, w, b, alpha, epochs):  # with the step before it, as a student
    costs = []
    for _ in range(epochs):
        f = 1 / (1 + np.exp(-(X @ w + b)))
        costs.append(np.mean(-y * np.log(f) - (1 - y) * np.log(1 - f)))
        w, b = gradient_step(X, y, w, b, alpha)
    return costs


def my_softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def bce_from_logits(y, z):
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def multilabel_cost(Y, Z):
    J = np.mean(np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z))))
    return J, (np.exp(-np.logaddexp(0, -Z)) - Y) / Y.size  # sigmoid, without overflow


def my_adam_step(w, g, m, v, t, alpha=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g**2
    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
    return w - alpha * m_hat / (np.sqrt(v_hat) + epsilon), m, v


def conv1d(X, K, b, strides):
    size, positions = K.shape[0], (X.shape[1] - K.shape[0]) // strides + 1
    Z = np.zeros((X.shape[0], positions, K.shape[2]))
    for j in range(positions):
        window = X[:, j * strides : j * strides + size, :]
        Z[:, j, :] = np.einsum("mki,kif->mf", window, K) + b
    return Z


def sigmoid_unit_gradients(x, w, b, y):
    a = 1 / (1 + np.exp(-(w * x + b)))
    dz = (a - y) * a * (1 - a)
    return dz * x, dz


def my_dense_backward(dZ, A_in, W):
    return A_in.T @ dZ, dZ.sum(axis=0), dZ @ W.T


RIGHT = {
    lab01.check_gradient_step: gradient_step,
    lab01.check_train_logistic: train_logistic,
    lab02.check_my_relu: lambda z: np.maximum(0, z),
    lab02.check_my_relu_derivative: lambda z: (z > 0).astype(float),
    lab03.check_my_softmax: my_softmax,
    lab04.check_bce_from_logits: bce_from_logits,
    lab04.check_logits_to_probabilities: lambda logits: np.exp(-np.logaddexp(0, -logits)),
    lab05.check_multilabel_cost: multilabel_cost,
    lab06.check_my_adam_step: my_adam_step,
    lab07.check_conv1d: conv1d,
    lab08.check_my_dense_backward: my_dense_backward,
    lab08.check_sigmoid_unit_gradients: sigmoid_unit_gradients,
}


FUNCTION_CHECKERS = list(RIGHT)
# This module's answers travel by value, as a notebook's do (a judge could not import them).
cloudpickle.register_pickle_by_value(sys.modules[__name__])


# The fit call each test model was trained with, as a notebook's code (by the model's id): the
# checker reads how a model was fitted from the code, never from the model.
FIT_CODE = {}


def fitted(model, name, epochs, batch_size):
    """``model`` after ``model.fit(...)``, its code recorded in :data:`FIT_CODE`."""
    FIT_CODE[id(model)] = f"{name}.fit(X, y, epochs={epochs}, batch_size={batch_size}, verbose=0)"
    return model


def run(checker, answer, capsys):
    """The checker's Result and what it printed."""
    result = checker(answer, source=[FIT_CODE.get(id(answer), "")])
    return result, capsys.readouterr().out


def graded(checker, answer, seed):
    """The verdict a grader reaches on ``answer``, on inputs drawn with ``seed`` (the report
    passed through JSON, as a judge sends it)."""
    expected = checker.expected(np.random.default_rng(seed))
    report = json.loads(json.dumps(checker.local_report(answer, checker.request(expected))))
    return checker.verdict(expected, report)


def assert_catalogue(checker, wrong, right, capsys):
    """Each of ``wrong`` (``(answer, phrase)``) is rejected with a message holding ``phrase``
    (the mistake named), in a notebook and by a grader's other seed; each of ``right`` passes
    both. The answers' modules travel by value, as a notebook's code does."""
    for answer in [a for a, _ in wrong] + list(right):
        cloudpickle.register_pickle_by_value(sys.modules[answer.__module__])
    for answer, phrase in wrong:
        with np.errstate(all="ignore"):
            result, out = run(checker, answer, capsys)
            other = graded(checker, answer, seed=12345)
        assert not result.passed and phrase in out, (phrase, out)
        assert not other.passed and phrase in other.message, (phrase, other.message)
    for answer in right:
        result, out = run(checker, answer, capsys)
        assert result.passed and graded(checker, answer, seed=12345).passed, out


def keras_digits_model(output="softmax", units=10, loss=None, optimizer=None, inputs=True):
    """The lecture's digits model (Labs 3 and 4), compiled, with one thing changed by the
    arguments (neither exercise asks for a fit)."""
    import keras

    layers = [keras.Input(shape=(64,))] if inputs else []
    layers += [
        keras.layers.Dense(25, activation="relu"),
        keras.layers.Dense(15, activation="relu"),
        keras.layers.Dense(units, activation=output),
    ]
    model = keras.Sequential(layers)
    model.compile(
        loss=loss or keras.losses.SparseCategoricalCrossentropy(),
        optimizer=optimizer or keras.optimizers.Adam(learning_rate=1e-3),
    )
    return model


def keras_digits_variants(stable):
    """The digits model of :func:`keras_digits_model` written two other right ways, compiled:
    with ``.add`` and with the functional API, the output a linear Dense (``activation=None``)
    followed, unless ``stable`` (then the loss takes ``from_logits=True``), by a softmax layer
    of its own (``Softmax()``, ``Activation("softmax")``)."""
    import keras

    layers = keras.layers
    added = keras.Sequential()
    for layer in (keras.Input(shape=(64,)), layers.Dense(25, "relu"), layers.Dense(15, "relu")):
        added.add(layer)
    added.add(layers.Dense(10, activation=None))
    inputs = keras.Input(shape=(64,))
    outputs = layers.Dense(10)(layers.Dense(15, "relu")(layers.Dense(25, "relu")(inputs)))
    if not stable:
        added.add(layers.Softmax())
        outputs = layers.Activation("softmax")(outputs)
    models = [added, keras.Model(inputs, outputs)]
    for model in models:
        model.compile(
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=stable),
            optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        )
    return models


def dense_model(layers, n_inputs, loss=None, optimizer=None, with_input=True):
    """A Sequential model of Dense layers ``[(units, activation), ...]``, compiled if asked."""
    import keras

    model = keras.Sequential(
        ([keras.Input(shape=(n_inputs,))] if with_input else [])
        + [keras.layers.Dense(u, activation=a) for u, a in layers]
    )
    if loss is not None:
        model.compile(loss=loss, optimizer=optimizer)
    return model
