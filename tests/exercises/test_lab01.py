"""Lab 1's checkers: one gradient step and the training loop, which computes the logistic
cost itself (the wrong answers students write, each named; right answers written other ways,
accepted; the loop's expected costs are Keras's fit history), and the three steps in Keras."""

import json
import math

import numpy as np

from tests.support.answers import assert_catalogue, fitted, gradient_step, run
from utils.exercises import lab01
from utils.exercises.probe import encode


def lab1_model(
    hidden=3,
    units=1,
    output="sigmoid",
    inputs=True,
    loss=None,
    optimizer=None,
    epochs=5,
    batch_size=320,
    fit=True,
    style="list",
):
    """The Lab 1 Keras exercise's answer, or a typical mistake (the arguments that differ);
    ``style``: how it is written ("list": Sequential([...]), "add": Sequential().add,
    "functional": keras.Model(inputs, outputs), "layer": the output's activation as an
    Activation layer of its own)."""
    import warnings

    import keras

    X, y = lab01._coffee()  # the lab's training set
    hidden_layer = keras.layers.Dense(hidden, activation="sigmoid")
    if style == "functional":
        x = keras.Input(shape=(2,))
        model = keras.Model(x, keras.layers.Dense(units, activation=output)(hidden_layer(x)))
    elif style == "add":
        model = keras.Sequential()
        model.add(keras.Input(shape=(2,)))
        model.add(hidden_layer)
        model.add(keras.layers.Dense(units, activation=output))
    else:
        layers = [keras.Input(shape=(2,))] if inputs else []
        layers.append(hidden_layer)
        if style == "layer":
            layers += [keras.layers.Dense(units), keras.layers.Activation(output)]
        else:
            layers.append(keras.layers.Dense(units, activation=output))
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
    """The problem: the decisions (output units and activation, the loss, from_logits) are
    the student's; a wrong one is named with why, either right form passes, written any
    way; what the exercise gives (hidden layer, optimizer, rate, fit) is checked as before."""
    import keras

    check = lab01.check_model
    result, out = run(check, lab1_model(), capsys)
    assert result.passed and out == "✓ model: all 9 checks passed\n"
    _, out = run(check, None, capsys)
    assert out == "✗ check 1/9 (a Keras model): model is None: define it with Sequential\n"
    bce, logits = keras.losses.BinaryCrossentropy, dict(from_logits=True)
    decisions = [  # the wrong decisions students make: (model, check, what names it)
        # two outputs, one per answer, as for classes
        (
            dict(units=2, output="softmax", loss=keras.losses.SparseCategoricalCrossentropy()),
            "check 4/9 (output layer)",
            "the output layer has 2 units; a yes/no target needs 1 output unit",
        ),
        (dict(units=2), "check 4/9 (output layer)", "a yes/no target needs 1 output unit"),
        (dict(output="softmax"), "check 5/9", "softmax over one unit is always 1"),
        (dict(output="relu"), "check 5/9", "a ReLU output is not a probability"),
        # a linear output read as a probability
        (dict(output="linear"), "check 6/9 (loss)", "write BinaryCrossentropy(from_logits=True)"),
        (
            dict(loss=bce(**logits)),
            "check 6/9 (loss)",
            "from_logits=True with a sigmoid output applies sigmoid twice",
        ),
        (
            dict(loss=keras.losses.MeanSquaredError()),
            "check 6/9 (loss)",
            "the loss is MeanSquaredError, but a 0/1 label takes the binary cross-entropy",
        ),
        (
            dict(loss=keras.losses.SparseCategoricalCrossentropy()),
            "check 6/9 (loss)",
            "the loss is SparseCategoricalCrossentropy, but a 0/1 label takes the binary",
        ),
    ]
    given = [  # what the exercise gives, written otherwise
        # without keras.Input the model has no input shape until fit builds it
        (dict(inputs=False, fit=False), "check 1/9 (input shape)", "keras.Input(shape=(2,))"),
        (dict(hidden=4), "check 3/9 (layer 1)", 'write Dense(3, activation="sigmoid")'),
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
    # a wrong decision fails before the fit check: those models need no training
    wrong = [(dict(fit=False, **kwargs), where, fragment) for kwargs, where, fragment in decisions]
    for kwargs, where, fragment in wrong + given:
        result, out = run(check, lab1_model(**kwargs), capsys)
        assert not result.passed and where in out and fragment in out, (kwargs, out)
    right = [  # either form, written other ways
        dict(output="linear", loss=bce(**logits)),
        dict(output=None, loss=bce(**logits), style="add"),
        dict(style="add"),
        dict(style="functional"),
        dict(output="linear", loss=bce(**logits), style="functional"),
        dict(style="layer"),
    ]
    for kwargs in right:
        result, out = run(check, lab1_model(**kwargs), capsys)
        assert result.passed, (kwargs, out)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_gradient_step_mistakes_are_named(capsys):
    def no_mean(X, y, w, b, alpha):  # the 1/m forgotten
        err = sigmoid(X @ w + b) - y
        return w - alpha * X.T @ err, b - alpha * np.sum(err)

    def uphill(X, y, w, b, alpha):  # the error y - f
        err = y - sigmoid(X @ w + b)
        return w - alpha * X.T @ err / len(y), b - alpha * np.mean(err)

    def b_kept(X, y, w, b, alpha):  # b not updated
        err = sigmoid(X @ w + b) - y
        return w - alpha * X.T @ err / len(y), b

    def linear(X, y, w, b, alpha):  # the sigmoid forgotten
        err = X @ w + b - y
        return w - alpha * X.T @ err / len(y), b - alpha * np.mean(err)

    def sequential(X, y, w, b, alpha):  # w updated before dJ/db is computed
        w = w - alpha * X.T @ (sigmoid(X @ w + b) - y) / len(y)
        return w, b - alpha * np.mean(sigmoid(X @ w + b) - y)

    def in_place(X, y, w, b, alpha):  # w -= ... changes the caller's array
        err = sigmoid(X @ w + b) - y
        w -= alpha * X.T @ err / len(y)
        return w, b - alpha * np.mean(err)

    def loop(X, y, w, b, alpha):  # the gradient summed example by example
        dw, db = np.zeros_like(w), 0.0
        for x_i, y_i in zip(X, y, strict=False):
            err = sigmoid(x_i @ w + b) - y_i
            dw, db = dw + err * x_i, db + err
        return w - alpha * dw / len(y), b - alpha * db / len(y)

    def averaged(X, y, w, b, alpha):  # np.mean over examples of err_i x_i
        err = sigmoid(X @ w + b) - y
        return w - alpha * np.mean(err[:, None] * X, axis=0), b - alpha * err.mean()

    assert_catalogue(
        lab01.check_gradient_step,
        [
            (no_mean, "the 1/m is missing"),
            (uphill, "the step goes uphill"),
            (b_kept, "b is not updated"),
            (linear, "apply the sigmoid before subtracting y"),
            (sequential, "dJ/db was computed with the new w"),
            (in_place, "gradient_step changed its argument w in place"),
        ],
        [loop, averaged],
        capsys,
    )


def logistic_loss(X, y, w, b):
    f = sigmoid(X @ w + b)
    return np.mean(-y * np.log(f) - (1 - y) * np.log(1 - f))


def loop_with(cost):
    """A training loop whose cost line is ``cost(X, y, w, b)`` (its step is right)."""

    def train_logistic(X, y, w, b, alpha, epochs):
        costs = []
        for _ in range(epochs):
            costs.append(cost(X, y, w, b))
            w, b = gradient_step(X, y, w, b, alpha)
        return costs

    return train_logistic


def flipped(X, y, w, b):  # the minus sign dropped
    f = sigmoid(X @ w + b)
    return np.mean(y * np.log(f) + (1 - y) * np.log(1 - f))


def sigmoid_sign(X, y, w, b):  # e^z for e^-z in the sigmoid
    f = 1 / (1 + np.exp(X @ w + b))
    return np.mean(-y * np.log(f) - (1 - y) * np.log(1 - f))


def no_bias(X, y, w, b):  # z = X w
    f = sigmoid(X @ w)
    return np.mean(-y * np.log(f) - (1 - y) * np.log(1 - f))


def swapped(X, y, w, b):  # y and 1 - y swapped
    f = sigmoid(X @ w + b)
    return np.mean(-(1 - y) * np.log(f) - y * np.log(1 - f))


def half(X, y, w, b):  # the y = 0 term forgotten
    return np.mean(-y * np.log(sigmoid(X @ w + b)))


def squared(X, y, w, b):  # the squared error
    return np.mean((sigmoid(X @ w + b) - y) ** 2)


def math_loop(X, y, w, b):  # one example at a time, with math
    total = 0.0
    for x_i, y_i in zip(X, y, strict=False):
        f = 1 / (1 + math.exp(-(sum(a * c for a, c in zip(x_i, w, strict=False)) + b)))
        total += -math.log(f) if y_i == 1 else -math.log(1 - f)
    return total / len(y)


def stable(X, y, w, b):  # the stable form, log(1 + e^z) - y z
    z = X @ w + b
    return np.mean(np.logaddexp(0, z) - y * z)


def test_the_training_loops_costs_are_keras_fit_history():
    """The loop's expected costs (utils' LogisticRegression.fit) are the history of Keras's
    fit from the same weights: Dense(1, sigmoid), BinaryCrossentropy, SGD, batch = m, epoch
    for epoch, for the notebook's cases and a grader's; in float64 to round-off, and in
    float32 within the checker's tolerance (so a float32 loop passes too)."""
    import keras

    check = lab01.check_train_logistic
    for rng in (None, np.random.default_rng(12345)):
        for case in check.expected(rng):
            X, y, w, b, alpha, epochs = case.args
            for dtype, tol in (("float64", 1e-12), ("float32", check.tol)):
                model = keras.Sequential(
                    [
                        keras.Input(shape=(X.shape[1],), dtype=dtype),
                        keras.layers.Dense(1, activation="sigmoid", dtype=dtype),
                    ]
                )
                model.set_weights([w[:, None], np.array([b])])
                model.compile(
                    loss=keras.losses.BinaryCrossentropy(),
                    optimizer=keras.optimizers.SGD(learning_rate=alpha),
                )
                history = model.fit(
                    X, y[:, None], epochs=epochs, batch_size=len(X), shuffle=False, verbose=0
                )
                keras_costs = np.array(history.history["loss"])
                assert keras_costs.shape == case.expected.shape, case.hint
                assert np.max(np.abs(keras_costs - case.expected)) <= tol, (case.hint, dtype)


def test_training_loop_mistakes_are_named(capsys):
    def after(X, y, w, b, alpha, epochs):  # the cost recorded after the update
        costs = []
        for _ in range(epochs):
            w, b = gradient_step(X, y, w, b, alpha)
            costs.append(logistic_loss(X, y, w, b))
        return costs

    def summed(X, y, w, b, alpha, epochs):  # the sum of the losses for their mean
        costs = []
        for _ in range(epochs):
            f = sigmoid(X @ w + b)
            costs.append(np.sum(-y * np.log(f) - (1 - y) * np.log(1 - f)))
            w, b = gradient_step(X, y, w, b, alpha)
        return costs

    def in_place(X, y, w, b, alpha, epochs):  # w -= ... changes the caller's w
        costs = []
        for _ in range(epochs):
            f = sigmoid(X @ w + b)
            costs.append(np.mean(-y * np.log(f) - (1 - y) * np.log(1 - f)))
            w -= alpha * X.T @ (f - y) / len(y)
            b -= alpha * np.mean(f - y)
        return costs

    def sequential(X, y, w, b, alpha, epochs):  # dJ/db computed with the new w
        costs = []
        for _ in range(epochs):
            costs.append(logistic_loss(X, y, w, b))
            w = w - alpha * X.T @ (sigmoid(X @ w + b) - y) / len(y)
            b = b - alpha * np.mean(sigmoid(X @ w + b) - y)
        return costs

    def no_mean(X, y, w, b, alpha, epochs):  # the 1/m of the gradient forgotten
        costs = []
        for _ in range(epochs):
            costs.append(logistic_loss(X, y, w, b))
            err = sigmoid(X @ w + b) - y
            w, b = w - alpha * X.T @ err, b - alpha * np.sum(err)
        return costs

    def uphill(X, y, w, b, alpha, epochs):  # w + alpha dJ/dw
        costs = []
        for _ in range(epochs):
            costs.append(logistic_loss(X, y, w, b))
            err = sigmoid(X @ w + b) - y
            w, b = w + alpha * X.T @ err / len(y), b + alpha * np.mean(err)
        return costs

    def last_only(X, y, w, b, alpha, epochs):  # J kept, not the list
        for _ in range(epochs):
            J = logistic_loss(X, y, w, b)
            w, b = gradient_step(X, y, w, b, alpha)
        return J

    def not_kept(X, y, w, b, alpha, epochs):  # the step's new w, b thrown away
        costs = []
        for _ in range(epochs):
            costs.append(logistic_loss(X, y, w, b))
            gradient_step(X, y, w, b, alpha)
        return costs

    def one_more(X, y, w, b, alpha, epochs):  # the cost at the start, then after each step
        costs = [logistic_loss(X, y, w, b)]
        for _ in range(epochs):
            w, b = gradient_step(X, y, w, b, alpha)
            costs.append(logistic_loss(X, y, w, b))
        return costs

    def while_loop(X, y, w, b, alpha, epochs):  # a while loop, the formulas inline
        costs, epoch = [], 0
        while epoch < epochs:
            f = sigmoid(X @ w + b)
            costs.append(np.mean(-y * np.log(f) - (1 - y) * np.log(1 - f)))
            w, b = w - alpha * X.T @ (f - y) / len(y), b - alpha * np.mean(f - y)
            epoch += 1
        return np.array(costs)

    own_answers = loop_with(logistic_loss)  # a cost function of the student's own

    def float32(X, y, w, b, alpha, epochs):  # computed in float32
        X, y, w, b = X.astype(np.float32), y.astype(np.float32), w.astype(np.float32), b
        return own_answers(X, y, w, np.float32(b), np.float32(alpha), epochs)

    assert_catalogue(
        lab01.check_train_logistic,
        [
            (after, "each cost was recorded after its step, one epoch late"),
            (summed, "you summed the losses"),
            (in_place, "train_logistic changed its argument w in place"),
            (sequential, "dJ/db was computed with the new w"),
            (no_mean, "the 1/m is missing"),
            (uphill, "the step goes uphill"),
            (last_only, "only one cost: return a list of every epoch's cost"),
            (not_kept, "the cost never changes: keep the new parameters"),
            (one_more, "one cost too many"),
            (loop_with(flipped), "the sign is flipped"),
            (loop_with(sigmoid_sign), "this is the cost of 1 - f"),
            (loop_with(no_bias), "the bias is missing"),
            (loop_with(swapped), "this is the cost of 1 - f"),
            (loop_with(half), "the (1 - y) log(1 - f) term is missing"),
            (loop_with(squared), "that is the squared error"),
        ],
        [while_loop, own_answers, float32, loop_with(math_loop), loop_with(stable)],
        capsys,
    )


def test_every_catalogued_mistake_fails_a_case_and_is_named():
    """Each of a Lab 1 checker's catalogued mistakes (what that wrong answer returns, in a
    judge's report) fails, and the verdict names it, on the notebook's inputs and a
    grader's."""
    for checker in (lab01.check_gradient_step, lab01.check_train_logistic):
        for seed in (None, 12345):
            expected = checker.expected(None if seed is None else np.random.default_rng(seed))
            for message, wrong in checker.mistakes:
                with np.errstate(all="ignore"):
                    calls = [{"value": encode(wrong(*case.args))} for case in expected]
                report = json.loads(json.dumps({"calls": calls}))
                result = checker.verdict(expected, report)
                assert not result.passed and message in result.message, (message, result)


def test_a_loop_whose_cost_is_the_courses_is_refused(capsys):
    """The loop computes J itself: a cost taken from utils.logistic_regression is named."""
    from utils import logistic_regression

    result, out = run(lab01.check_train_logistic, loop_with(logistic_regression.cost), capsys)
    reached = "utils.logistic_regression.cost"
    assert not result.passed
    assert out == f"✗ train_logistic uses the course's {reached}: write your own\n"
