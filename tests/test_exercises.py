"""The exercise checkers: every lab's right answer passes, the typical mistakes are named, the
course's own implementation is refused, and the registry matches the notebooks' format."""

import importlib
import json
import pkgutil
import re
from pathlib import Path

import numpy as np
import pytest

import utils
from utils import activations, convolution, exercises, gradient_check, logistic_regression, losses
from utils import computation_graph as graph
from utils.exercises import grading, lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08

ROOT = Path(__file__).resolve().parents[1]
LABS = sorted((ROOT / "labs").glob("[0-9][0-9]_*.ipynb"))
LAB_MODULES = [lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08]


# ------------------------------------------------------------------ right answers, by hand


def logistic_cost(X, y, w, b):
    f = 1 / (1 + np.exp(-(X @ w + b)))
    return np.mean(-y * np.log(f) - (1 - y) * np.log(1 - f))


def gradient_step(X, y, w, b, alpha):
    err = 1 / (1 + np.exp(-(X @ w + b))) - y
    return w - alpha * X.T @ err / len(y), b - alpha * np.mean(err)


def my_softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def my_softmax_rows(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def bce_from_logits(y, z):
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def multilabel_cost(Y, P):
    P = np.clip(P, 1e-7, 1 - 1e-7)
    return np.mean(-Y * np.log(P) - (1 - Y) * np.log(1 - P))


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


RIGHT = {
    lab01.check_logistic_cost: logistic_cost,
    lab01.check_gradient_step: gradient_step,
    lab02.check_my_relu: lambda z: np.maximum(0, z),
    lab02.check_my_relu_derivative: lambda z: (z > 0).astype(float),
    lab03.check_my_softmax: my_softmax,
    lab04.check_bce_from_logits: bce_from_logits,
    lab04.check_logits_to_probabilities: lambda logits: my_softmax_rows(logits),
    lab05.check_multilabel_cost: multilabel_cost,
    lab06.check_my_adam_step: my_adam_step,
    lab07.check_conv1d: conv1d,
    lab08.check_central_difference_estimate: lambda f, x, eps: (
        (f(x + eps) - f(x - eps)) / (2 * eps)
    ),
    lab08.check_sigmoid_unit_gradients: sigmoid_unit_gradients,
}
FUNCTION_CHECKERS = list(RIGHT)


def run(checker, answer, capsys):
    """The checker's Result and what it printed."""
    result = checker(answer)
    return result, capsys.readouterr().out


@pytest.mark.parametrize("checker", FUNCTION_CHECKERS, ids=lambda c: c.answer)
def test_a_right_answer_passes_with_one_line(checker, capsys):
    result, out = run(checker, RIGHT[checker], capsys)
    n = len(checker.expected())
    assert result.passed and result.case is None and result.total == n
    assert out == f"✓ {checker.answer}: all {n} checks passed\n" == result.message + "\n"


@pytest.mark.parametrize("checker", FUNCTION_CHECKERS, ids=lambda c: c.answer)
def test_a_stub_fails_at_the_first_case(checker, capsys):
    result, out = run(checker, lambda *args: None, capsys)
    first = checker.expected()[0]
    assert not result.passed and result.case == 1 and result.hint == first.hint
    assert out.startswith(f"✗ check 1/{result.total} ({first.hint}): expected ")
    assert out.endswith(", got None\n") and out.count("✗") == 1


def cheats(checker):
    """Answers that are, or call, the course's own implementation of the exercise."""
    G = graph.SIGMOID_UNIT_GRAPH
    special = {
        lab07.check_conv1d: [
            lambda X, K, b, s: convolution.conv1d_forward(X, K, b, s).Z,
            lambda X, K, b, s: convolution.conv1d_forward_keras(X, K, b, s),
        ],
        lab08.check_sigmoid_unit_gradients: [
            lambda x, w, b, y: tuple(
                graph.backward(G, graph.forward(G, dict(x=x, w=w, b=b, y=y)))[k] for k in "wb"
            ),
            lambda x, w, b, y: tuple(
                graph.derivatives_keras(G, dict(x=x, w=w, b=b, y=y))[k] for k in "wb"
            ),
        ],
    }
    if checker in special:
        return special[checker]
    module, name = checker.forbidden[0].rsplit(".", 1)
    own = getattr(importlib.import_module(module), name)
    return [own, lambda *args: own(*args)]


@pytest.mark.parametrize("checker", FUNCTION_CHECKERS, ids=lambda c: c.answer)
def test_the_courses_own_implementation_is_refused(checker, capsys):
    """The answer may neither be utils' implementation nor simply call it."""
    for answer in cheats(checker):
        result, out = run(checker, answer, capsys)
        used = re.fullmatch(f"✗ {checker.answer} uses the course's (\\S+): write your own\n", out)
        assert not result.passed and used and used.group(1) in checker.forbidden, out


def test_every_reference_is_forbidden():
    """Each function checker names at least one utils implementation it refuses."""
    assert all(checker.forbidden for checker in FUNCTION_CHECKERS)
    result = lab03.check_my_softmax(activations.softmax)
    assert "utils.activations.softmax" in result.message


def test_errors_and_non_functions_are_explained(capsys):
    _, out = run(lab01.check_logistic_cost, lambda *args: 1 / 0, capsys)
    assert out.startswith("✗ check 1/4") and "logistic_cost raised ZeroDivisionError" in out
    _, out = run(lab03.check_my_softmax, 3, capsys)
    assert out == "✗ my_softmax must be a function, got int\n"
    _, out = run(lab02.check_my_relu, lambda z: max(z, 0), capsys)
    assert "raised ValueError" in out


def test_typical_mistakes_are_named(capsys):
    def naive_softmax(z):
        return np.exp(z) / np.sum(np.exp(z))

    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        _, out = run(lab03.check_my_softmax, naive_softmax, capsys)
    assert out.startswith("✗ check 5/6 (large logits") and "nan" in out

    _, out = run(lab02.check_my_relu_derivative, lambda z: (z >= 0).astype(float), capsys)
    assert out.startswith("✗ check 1/5 (negative, zero and positive z)")
    _, out = run(lab02.check_my_relu_derivative, np.ones_like, capsys)
    assert "got [1. 1. 1. 1. 1.]" in out

    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        _, out = run(
            lab04.check_bce_from_logits,
            lambda y, z: np.mean(
                -y * np.log(1 / (1 + np.exp(-z))) - (1 - y) * np.log(1 - 1 / (1 + np.exp(-z)))
            ),
            capsys,
        )
    assert out.startswith("✗ check 3/6") and "got inf" in out

    _, out = run(
        lab05.check_multilabel_cost,
        lambda Y, P: np.mean(
            (-Y * np.log(np.clip(P, 1e-7, 1)) - (1 - Y) * np.log(np.clip(1 - P, 1e-7, 1))).sum(1)
        ),
        capsys,
    )
    assert out.startswith("✗ check 1/6 (one image")
    with np.errstate(divide="ignore", invalid="ignore"):
        _, out = run(
            lab05.check_multilabel_cost,
            lambda Y, P: np.mean(-Y * np.log(P) - (1 - Y) * np.log(1 - P)),
            capsys,
        )
    assert out.startswith("✗ check 5/6") and "got nan" in out

    def keras_form(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g * g
        step = alpha * np.sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (np.sqrt(v) + epsilon)
        return w - step, m, v

    _, out = run(lab06.check_my_adam_step, keras_form, capsys)
    assert out.startswith("✗ check 4/5 (g = 1e-9: epsilon is added")
    _, out = run(lab06.check_my_adam_step, lambda *a: my_adam_step(*a[:6]), capsys)
    assert out.startswith("✗ check 5/5")  # the default betas, not the ones given

    _, out = run(lab07.check_conv1d, lambda X, K, b, s: conv1d(X, K[::-1], b, s), capsys)
    assert out.startswith("✗ check 2/6")  # a textbook convolution flips the kernel
    _, out = run(lab07.check_conv1d, lambda X, K, b, s: conv1d(X, K, b, 1), capsys)
    assert "expected" in out

    _, out = run(lab08.check_central_difference_estimate, gradient_check.forward_difference, capsys)
    assert out.startswith("✗ check 1/5")
    _, out = run(
        lab08.check_sigmoid_unit_gradients,
        lambda x, w, b, y: (
            (1 / (1 + np.exp(-(w * x + b))) - y) * x,
            1 / (1 + np.exp(-(w * x + b))) - y,
        ),
        capsys,
    )
    assert out.startswith("✗ check 1/5")


def test_changing_the_arguments_in_place_is_named(capsys):
    def in_place(X, y, w, b, alpha):
        err = 1 / (1 + np.exp(-(X @ w + b))) - y
        w -= alpha * X.T @ err / len(y)
        return w, b - alpha * np.mean(err)

    result, out = run(lab01.check_gradient_step, in_place, capsys)
    assert not result.passed and result.case == 1
    assert "gradient_step changed its argument w in place" in out


def test_output_activation_checker(capsys):
    right = {p: lab02._OUTPUT_PROBLEMS[p][0] for p in lab02.OUTPUT_PROBLEMS}
    result, out = run(lab02.check_output_activations, right, capsys)
    assert result.passed and out == "✓ output activations: all 6 checks passed\n"
    _, out = run(
        lab02.check_output_activations,
        {**right, "the price of a house, in $1000": "linear"},
        capsys,
    )
    assert out.startswith("✗ check 3/6") and "never negative; which output activation" in out
    _, out = run(
        lab02.check_output_activations, {**right, "the price of a house, in $1000": "ReLU"}, capsys
    )
    assert "got 'ReLU'" in out
    _, out = run(lab02.check_output_activations, dict.fromkeys(right), capsys)
    assert out.startswith("✗ check 1/6") and out.endswith("got None\n")
    _, out = run(lab02.check_output_activations, ["relu"], capsys)
    assert out == "✗ output_activations must be a dict {problem: activation}, got list\n"


def test_a_result_is_not_displayed_twice():
    """As a cell's last expression the Result shows nothing: the checker printed it already."""
    result = grading.Result(True, "✓ x: all 1 checks passed", total=1)
    assert result._ipython_display_() is None and str(result) == result.message


def test_messages_do_not_depend_on_print_options(capsys):
    _, plain = run(lab06.check_my_adam_step, lambda *args: args[:3], capsys)
    with np.printoptions(precision=2, suppress=False, linewidth=20):
        _, other = run(lab06.check_my_adam_step, lambda *args: args[:3], capsys)
    assert plain == other and "0.000063" in plain


def test_observations_are_plain_json_and_decode_back():
    values = [
        None,
        "relu",
        3,
        2.5,
        np.float32(0.5),
        np.arange(6.0).reshape(2, 3),
        np.array([1, 2], dtype=np.int64),
        np.array([np.nan, np.inf]),
        (np.ones(2), 0.0),
        [1.0, None],
        {"a": "b", 1: 2.0},
    ]
    for value in values:
        data = json.loads(json.dumps(grading.encode(value)))
        back = grading.decode(data)
        if isinstance(value, (tuple, list)):
            assert type(back) is type(value) and len(back) == len(value)
        elif isinstance(value, dict):
            assert back == {"a": "b", 1: 2.0}
        elif isinstance(value, (str, type(None))):
            assert back == value
        else:
            assert np.array_equal(back, value, equal_nan=True)
            assert back.dtype == np.asarray(value).dtype
    odd = grading.decode(grading.encode(object()))
    assert isinstance(odd, grading.Unencoded) and odd.type_name == "object"
    assert not grading.close(odd, 1.0, 1e-8)
    huge = grading.encode(np.zeros(grading._MAX_ITEMS + 1))
    assert "other" in huge and len(json.dumps(huge)) < 500


def test_verdict_covers_missing_and_broken_observations():
    checker = lab03.check_my_softmax
    expected = checker.expected()
    assert checker.verdict(expected, {"missing": True}).message.startswith(
        "✗ my_softmax is not defined"
    )
    assert "could not be checked: boom" in checker.verdict(expected, {"error": "boom"}).message
    assert not checker.verdict(expected, None).passed


# ------------------------------------------------------------------ the Keras exercises


def keras_digits_model(
    output="softmax", units=10, loss=None, optimizer=None, inputs=True, epochs=5, fit=True
):
    """The lecture's digits model (Labs 3 and 4), with one thing changed by the arguments."""
    import keras

    from utils import data

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
    if fit:
        digits = data.digits()
        model.fit(digits.X_train, digits.y_train, epochs=epochs, batch_size=32, verbose=0)
    return model


def test_lab3_keras_model_right_answer_and_typical_mistakes(capsys):
    import keras

    result, out = run(lab03.check_digits_model, keras_digits_model(), capsys)
    assert result.passed and out == "✓ digits_model: all 10 checks passed\n"
    _, out = run(lab03.check_digits_model, None, capsys)
    assert out == "✗ check 1/10 (model): digits_model is None: build it with keras.Sequential\n"
    mistakes = [
        (dict(inputs=False), "✗ check 1/10 (input shape): the model has no input shape"),
        (dict(units=9), "✗ check 5/10 (output layer): the output layer has 9 units; 10 classes"),
        (dict(output="sigmoid"), "✗ check 6/10 (output activation): sigmoid scores each class"),
        (
            dict(loss=keras.losses.CategoricalCrossentropy()),
            "✗ check 7/10 (loss): the labels are integers 0..k-1: use SparseCategorical",
        ),
        (
            dict(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)),
            "✗ check 7/10 (loss): the output gives probabilities, not logits",
        ),
        (dict(optimizer=keras.optimizers.SGD(1e-3)), "✗ check 8/10 (optimizer): the optimizer"),
        (
            dict(optimizer=keras.optimizers.Adam(1e-2)),
            "✗ check 9/10 (learning rate): the learning rate is 0.01",
        ),
    ]
    for kwargs, start in mistakes:
        _, out = run(lab03.check_digits_model, keras_digits_model(fit=False, **kwargs), capsys)
        assert out.startswith(start), out
    _, out = run(lab03.check_digits_model, keras_digits_model(epochs=2), capsys)
    assert out.startswith("✗ check 10/10 (fit): fit ran 2 epochs; write model.fit(X, y, epochs=5")
    _, out = run(lab03.check_digits_model, keras_digits_model(fit=False), capsys)
    assert out.startswith("✗ check 10/10 (fit): the model has not been trained")


def test_lab4_keras_model_right_answer_and_typical_mistakes(capsys):
    import keras

    sparse = keras.losses.SparseCategoricalCrossentropy
    right = keras_digits_model(output="linear", loss=sparse(from_logits=True))
    result, out = run(lab04.check_logits_model, right, capsys)
    assert result.passed and out == "✓ logits_model: all 10 checks passed\n"
    mistakes = [
        (
            dict(output="softmax", loss=sparse(from_logits=True)),
            "✗ check 6/10 (output activation): from_logits=True with a softmax output "
            "applies softmax twice",
        ),
        (
            dict(output="linear", loss=sparse()),
            "✗ check 7/10 (loss): a linear output gives logits, but the loss reads them as "
            "probabilities: write SparseCategoricalCrossentropy(from_logits=True)",
        ),
        (dict(output="softmax"), "✗ check 6/10 (output activation): a softmax output"),
        (
            dict(output="linear", loss=keras.losses.CategoricalCrossentropy(from_logits=True)),
            "✗ check 7/10 (loss): the labels are integers 0..k-1",
        ),
        (
            dict(output="linear", loss=sparse(from_logits=True), inputs=False),
            "✗ check 1/10 (input shape)",
        ),
    ]
    for kwargs, start in mistakes:
        _, out = run(lab04.check_logits_model, keras_digits_model(fit=False, **kwargs), capsys)
        assert out.startswith(start), out


def test_lab4_probabilities_names_a_forgotten_softmax(capsys):
    _, out = run(lab04.check_logits_to_probabilities, lambda logits: logits, capsys)
    assert out == (
        "✗ check 1/3 (one row): logits_to_probabilities returned the logits unchanged: turn "
        "them into probabilities with tf.nn.softmax(logits)\n"
    )
    _, out = run(
        lab04.check_logits_to_probabilities, lambda logits: 1 / (1 + np.exp(-logits)), capsys
    )
    assert out.startswith("✗ check 1/3 (one row): a sigmoid scores each class alone")
    with np.errstate(over="ignore", invalid="ignore"):
        _, out = run(lab04.check_logits_to_probabilities, np.exp, capsys)
        assert out.startswith("✗ check 1/3 (one row): expected [[0.090031")
        naive = lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)  # noqa: E731
        _, out = run(lab04.check_logits_to_probabilities, naive, capsys)
    assert out.startswith("✗ check 3/3 (a logit of 1000, equal logits)") and "nan" in out


# ------------------------------------------------------------------ the registry and names


def test_registry_names_and_labels():
    for n, module in enumerate(LAB_MODULES, start=1):
        for label, answers in module.EXERCISES.items():
            assert label.startswith(f"lab{n}-"), label
            for answer, checker in answers.items():
                assert checker.answer == answer
                assert getattr(module, f"check_{answer}") is checker
                assert exercises.EXERCISES[label][answer] is checker
        checkers = [v for k, v in vars(module).items() if k.startswith("check_")]
        assert len(checkers) == sum(len(a) for a in module.EXERCISES.values())
    assert len(exercises.EXERCISES) == 13


def utils_public_names():
    names = set()
    for info in pkgutil.walk_packages(utils.__path__, "utils."):
        module = importlib.import_module(info.name)
        names.add(info.name.rsplit(".", 1)[1])
        names |= {n for n in vars(module) if not n.startswith("_")}
    return names


def test_no_answer_shadows_a_utils_name():
    public = utils_public_names()
    assert {"softmax", "paper_adam_step", "gradient_descent_update", "check_my_softmax"} <= public
    clashes = sorted(a for answers in exercises.EXERCISES.values() for a in answers if a in public)
    assert not clashes, f"answer names that are also public names of utils: {clashes}"


# ------------------------------------------------------------------ the notebooks' format


def notebook_exercises(path):
    """(label, exercise cell, stub, written solution, solution code) for each exercise."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for i, cell in enumerate(cells):
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and re.search(r"^```\{exercise\}", text, re.M):
            label = re.search(r"^:label: (\S+)", text, re.M).group(1)
            found.append((label, *cells[i : i + 4]))
    return found


def test_no_gated_solutions_anywhere():
    for path in LABS:
        text = path.read_text(encoding="utf-8")
        assert "solution-start" not in text and "solution-end" not in text, path.name


@pytest.mark.parametrize("path", LABS, ids=lambda p: p.stem)
def test_exercises_have_the_notebook_format(path):
    n = int(path.name[:2])
    found = notebook_exercises(path)
    assert [label for label, *_ in found] == list(LAB_MODULES[n - 1].EXERCISES), path.name
    for label, exercise, stub, written, code in found:
        assert exercise["cell_type"] == "markdown" and "solution" not in exercise["source"]
        assert stub["cell_type"] == "code" and not stub["metadata"].get("tags")
        text = "".join(written["source"])
        assert written["cell_type"] == "markdown" and written["metadata"]["tags"] == ["solution"]
        assert text.startswith(f"```{{solution}} {label}\n:class: dropdown\n") and text.endswith(
            "```"
        )
        assert text.count("```") == 2, f"{label}: the written solution is one directive"
        assert code["cell_type"] == "code"
        assert code["metadata"]["tags"] == ["solution", "hide-input", "hide-output"]
        assert code["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
        answers = LAB_MODULES[n - 1].EXERCISES[label]
        stub_out = "".join("".join(o.get("text", "")) for o in stub["outputs"])
        code_out = "".join("".join(o.get("text", "")) for o in code["outputs"])
        assert all(o["output_type"] == "stream" for o in stub["outputs"] + code["outputs"])
        for answer in answers:
            call = f"check_{answer}({answer})"
            assert call in "".join(stub["source"]) and call in "".join(code["source"])
        # one line per checker (an expected array may wrap onto more lines)
        assert stub_out.startswith("✗ check 1/") and stub_out.count("✗ check 1/") == len(answers)
        assert stub_out.count("✗") == len(answers), label
        assert code_out.count("\n") == len(answers) and code_out.count("✓") == len(answers)


def test_lab2_stub_lists_every_problem():
    _, _, stub, _, _ = notebook_exercises(ROOT / "labs" / "02_activations.ipynb")[1]
    namespace = {"check_output_activations": lambda answers: None}
    exec("".join(stub["source"]), namespace)  # noqa: S102 - our own notebook's cell
    assert tuple(namespace["output_activations"]) == lab02.OUTPUT_PROBLEMS


def test_the_labs_expected_answers_come_from_utils():
    """The by-hand references behind a few checkers (so an edit there shows up here)."""
    case = lab01.check_logistic_cost.expected()[0]
    assert case.expected == logistic_regression.cost(*case.args)
    case = lab04.check_bce_from_logits.expected()[2]
    assert case.expected == losses.binary_crossentropy_from_logits(*case.args)
