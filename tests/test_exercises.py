"""The exercise checkers: every lab's right answer passes, the typical mistakes are named, the
course's own implementation is refused, and the registry matches the notebooks' format."""

import importlib
import json
import pkgutil
import re
import sys
from pathlib import Path

import cloudpickle
import numpy as np
import pytest

import utils
from utils import (
    activations,
    convolution,
    exercises,
    gradient_check,
    logistic_regression,
    losses,
    optimizers,
)
from utils import computation_graph as graph
from utils.exercises import grading, lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08, probe

ROOT = Path(__file__).resolve().parents[1]
LABS = sorted((ROOT / "labs").glob("[0-9][0-9]_*.ipynb"))
LAB_MODULES = [lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08]
# This module's answers travel by value, as a notebook's do (a judge could not import them).
cloudpickle.register_pickle_by_value(sys.modules[__name__])


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


def multilabel_cost(Y, Z):
    return np.mean(np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z))))


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


# The course's own implementation of each exercise (what an answer may not reach).
OWN = {
    lab01.check_logistic_cost: logistic_regression.cost,
    lab01.check_gradient_step: logistic_regression.gradient_descent_update,
    lab02.check_my_relu: activations.relu,
    lab02.check_my_relu_derivative: activations.relu_derivative,
    lab03.check_my_softmax: activations.softmax,
    lab04.check_bce_from_logits: losses.binary_crossentropy_from_logits,
    lab04.check_logits_to_probabilities: activations.softmax,
    lab05.check_multilabel_cost: losses.binary_crossentropy_from_logits,
    lab06.check_my_adam_step: optimizers.paper_adam_step,
    lab07.check_conv1d: lambda X, K, b, s: convolution.conv1d_forward(X, K, b, s).Z,
    lab08.check_central_difference_estimate: gradient_check.central_difference,
    lab08.check_sigmoid_unit_gradients: lambda x, w, b, y: tuple(
        graph.derivatives_keras(graph.SIGMOID_UNIT_GRAPH, dict(x=x, w=w, b=b, y=y))[k] for k in "wb"
    ),
}


def cheats(checker):
    """Answers that are, or reach, the course's own implementation of the exercise: the
    function, a call, a helper, a class, a default argument, a module looked up at run time."""
    own = OWN[checker]

    def helper(*args):
        return own(*args)

    class Answer:
        def __call__(self, *args):
            return own(*args)

    def with_default(*args, f=own):
        return f(*args)

    return [own, lambda *args: own(*args), lambda *args: helper(*args), Answer(), with_default]


@pytest.mark.parametrize("checker", FUNCTION_CHECKERS, ids=lambda c: c.answer)
def test_the_courses_own_implementation_is_refused(checker, capsys):
    """The answer may neither be utils' implementation nor reach it by any route."""
    for answer in cheats(checker):
        result, out = run(checker, answer, capsys)
        used = re.fullmatch(f"✗ {checker.answer} uses the course's (\\S+): write your own\n", out)
        assert not result.passed and used and used.group(1).startswith("utils."), out


def test_numpy_exercises_refuse_keras_and_tensorflow_by_name(capsys):
    """A numpy exercise's judge holds numpy alone: an answer reaching TensorFlow or Keras is
    refused, naming the module; Lab 4's logits_to_probabilities is the lecture's TensorFlow
    code and may use it (never the course's own softmax)."""
    import keras
    import tensorflow as tf

    for answer in (
        lambda z: tf.nn.softmax(z).numpy(),
        lambda z: keras.activations.softmax(z).numpy(),
        tf.nn.softmax,
    ):
        result, out = run(lab03.check_my_softmax, answer, capsys)
        assert not result.passed and re.fullmatch(
            "✗ my_softmax reaches (tensorflow|keras)( \\(\\S+\\))?: write your own\n", out
        ), out
    check = lab04.check_logits_to_probabilities
    result, out = run(check, lambda z: tf.nn.softmax(z).numpy(), capsys)
    assert result.passed, out


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
    assert out.startswith("✗ check 1/5 (z < 0, z = 0, z > 0)")
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
        lab05.check_multilabel_cost, lambda Y, Z: multilabel_cost(Y, Z) * Z.shape[1], capsys
    )  # the sum over the labels, not the mean
    assert out.startswith("✗ check 1/6 (one image")
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        _, out = run(
            lab05.check_multilabel_cost,
            lambda Y, Z: np.mean(
                -Y * np.log(1 / (1 + np.exp(-Z))) - (1 - Y) * np.log(1 - 1 / (1 + np.exp(-Z)))
            ),
            capsys,
        )
    assert out.startswith("✗ check 5/6") and "got nan" in out

    def keras_form(w, g, m, v, t, alpha, beta_1, beta_2, epsilon):
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g * g
        step = alpha * np.sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (np.sqrt(v) + epsilon)
        return w - step, m, v

    _, out = run(lab06.check_my_adam_step, keras_form, capsys)
    assert out.startswith("✗ check 5/6 (g = 1e-9: epsilon is added")
    _, out = run(lab06.check_my_adam_step, lambda *a: my_adam_step(*a[:6]), capsys)
    assert out.startswith("✗ check 6/6")  # the default betas, not the ones given

    _, out = run(lab07.check_conv1d, lambda X, K, b, s: conv1d(X, K[::-1], b, s), capsys)
    assert out.startswith("✗ check 2/6")  # a textbook convolution flips the kernel
    _, out = run(lab07.check_conv1d, lambda X, K, b, s: conv1d(X, K, b, 1), capsys)
    assert "expected" in out

    _, out = run(
        lab08.check_central_difference_estimate, lambda f, x, eps: (f(x + eps) - f(x)) / eps, capsys
    )
    assert out.startswith("✗ check 1/6")
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
    def wrong_for_arrays(*args):  # right for the first case (scalars), wrong for arrays
        return my_adam_step(*args) if np.ndim(args[0]) == 0 else args[:3]

    _, plain = run(lab06.check_my_adam_step, wrong_for_arrays, capsys)
    with np.printoptions(precision=2, suppress=False, linewidth=20):
        _, other = run(lab06.check_my_adam_step, wrong_for_arrays, capsys)
    assert plain == other and "0.000063" in plain


def test_reports_are_plain_json_and_decode_back():
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
    huge = grading.encode(np.zeros(probe.MAX_ITEMS + 1))
    assert "other" in huge and len(json.dumps(huge)) < 500


def test_verdict_covers_missing_and_broken_reports():
    checker = lab03.check_my_softmax
    expected = checker.expected()
    assert checker.verdict(expected, {"missing": True}).message.startswith(
        "✗ my_softmax is not defined"
    )
    assert "could not be checked: boom" in checker.verdict(expected, {"error": "boom"}).message
    assert not checker.verdict(expected, None).passed


# ------------------------------------------------------------------ the Keras exercises


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


def test_lab3_keras_model_right_answer_and_typical_mistakes(capsys):
    import keras

    result, out = run(lab03.check_digits_model, keras_digits_model(), capsys)
    assert result.passed and out == "✓ digits_model: all 9 checks passed\n"
    _, out = run(lab03.check_digits_model, None, capsys)
    assert out == "✗ check 1/9 (a Keras model): digits_model is None: define it with Sequential\n"
    mistakes = [
        (dict(inputs=False), "✗ check 1/9 (input shape): the model has no input shape"),
        (dict(units=9), "✗ check 5/9 (output layer): the output layer has 9 units; 10 classes"),
        (dict(output="sigmoid"), "✗ check 6/9 (output activation): sigmoid scores each class"),
        (
            dict(loss=keras.losses.CategoricalCrossentropy()),
            "✗ check 7/9 (loss): the labels are integers 0..k-1: use SparseCategorical",
        ),
        (
            dict(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)),
            "✗ check 7/9 (loss): the output gives probabilities, not logits",
        ),
        (dict(optimizer=keras.optimizers.SGD(1e-3)), "✗ check 8/9 (optimizer): the optimizer"),
        (
            dict(optimizer=keras.optimizers.Adam(1e-2)),
            "✗ check 9/9 (learning rate): the learning rate is 0.01",
        ),
    ]
    for kwargs, start in mistakes:
        _, out = run(lab03.check_digits_model, keras_digits_model(**kwargs), capsys)
        assert out.startswith(start), out


def test_lab4_keras_model_right_answer_and_typical_mistakes(capsys):
    import keras

    sparse = keras.losses.SparseCategoricalCrossentropy
    right = keras_digits_model(output="linear", loss=sparse(from_logits=True))
    result, out = run(lab04.check_logits_model, right, capsys)
    assert result.passed and out == "✓ logits_model: all 9 checks passed\n"
    mistakes = [
        (
            dict(output="softmax", loss=sparse(from_logits=True)),
            "✗ check 6/9 (output activation): from_logits=True with a softmax output "
            "applies softmax twice",
        ),
        (
            dict(output="linear", loss=sparse()),
            "✗ check 7/9 (loss): a linear output gives logits, but the loss reads them as "
            "probabilities: write SparseCategoricalCrossentropy(from_logits=True)",
        ),
        (dict(output="softmax"), "✗ check 6/9 (output activation): a softmax output"),
        (
            dict(output="linear", loss=keras.losses.CategoricalCrossentropy(from_logits=True)),
            "✗ check 7/9 (loss): the labels are integers 0..k-1",
        ),
        (
            dict(output="linear", loss=sparse(from_logits=True), inputs=False),
            "✗ check 1/9 (input shape)",
        ),
    ]
    for kwargs, start in mistakes:
        _, out = run(lab04.check_logits_model, keras_digits_model(**kwargs), capsys)
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
    assert len(exercises.EXERCISES) == sum(len(m.EXERCISES) for m in LAB_MODULES)


def test_labs_1_to_7_each_have_a_keras_exercise():
    """The week's skill: in every lab but the optional Lab 8 the student writes Keras code."""
    for n, module in enumerate(LAB_MODULES[:7], start=1):
        kinds = {type(c).__name__ for a in module.EXERCISES.values() for c in a.values()}
        assert "KerasModelChecker" in kinds, f"Lab {n} has no Keras exercise"


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


def test_lab8_functions_are_the_lecture_graphs():
    """Lab 8's functions to differentiate are plain numpy (a judge holds no course code), the
    same numbers as the lecture's graphs."""
    for w in (-1.5, 0.0, 2.0, 3.7):
        unit = {**lab08._UNIT, "w": w}
        assert lab08._unit_cost(**lab08._UNIT)(w) == graph.forward(graph.ONE_UNIT_GRAPH, unit)["J"]
        relu = {**lab08._RELU, "w1": w}
        assert lab08._relu_cost(**lab08._RELU)(w) == pytest.approx(
            graph.forward(graph.TWO_LAYER_RELU_GRAPH, relu)["J"], rel=1e-15
        )


def test_the_labs_expected_answers_come_from_utils():
    """The by-hand references behind a few checkers (so an edit there shows up here)."""
    case = lab01.check_logistic_cost.expected()[0]
    assert case.expected == logistic_regression.cost(*case.args)
    case = lab04.check_bce_from_logits.expected()[2]
    assert case.expected == losses.binary_crossentropy_from_logits(*case.args)


# ------------------------------------------------------------------ Lab 1: the three steps in Keras


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


# ------------------------------------------------------------------ Keras exercises


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


def test_lab5_multilabel_model(capsys):
    import keras

    def street(output="linear", units=3, loss=None, optimizer=None, **kwargs):
        return dense_model(
            [(16, "relu"), (units, output)],
            256,
            loss or keras.losses.BinaryCrossentropy(from_logits=True),
            optimizer or keras.optimizers.Adam(learning_rate=0.005),
            **kwargs,
        )

    checker = lab05.check_model
    result, out = run(checker, street(), capsys)
    assert result.passed and out == "✓ model: all 8 checks passed\n"
    _, out = run(checker, None, capsys)
    assert out.startswith("✗ check 1/8 (a Keras model): model is None")
    mistakes = [
        (street(with_input=False), "check 1/8 (input shape)", "keras.Input(shape=(256,))"),
        (street(units=1), "check 4/8 (output layer)", "3 labels need 3 output units"),
        (
            street("softmax", loss=keras.losses.BinaryCrossentropy()),
            "check 5/8 (output activation)",
            "softmax makes the labels compete",
        ),
        (street("sigmoid"), "check 5/8 (output activation)", "applies sigmoid twice"),
        (
            street("sigmoid", loss=keras.losses.BinaryCrossentropy()),
            "check 5/8 (output activation)",
            "the recommended form leaves the sigmoid to the loss",
        ),
        (
            street(loss=keras.losses.BinaryCrossentropy()),
            "check 6/8 (loss)",
            "write BinaryCrossentropy(from_logits=True)",
        ),
        (
            street(loss=keras.losses.CategoricalCrossentropy(from_logits=True)),
            "check 6/8 (loss)",
            "the loss is CategoricalCrossentropy",
        ),
        (
            street(optimizer=keras.optimizers.SGD(learning_rate=0.005)),
            "check 7/8 (optimizer)",
            "the optimizer is SGD",
        ),
        (street(optimizer=keras.optimizers.Adam()), "check 8/8 (learning rate)", "0.001"),
    ]
    for model, where, what in mistakes:
        result, out = run(checker, model, capsys)
        assert not result.passed and out.startswith(f"✗ {where}") and what in out, out


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


# ------------------------------------------------------------------ Lab 2: activations in Keras


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


def test_lab2_activations_in_keras(capsys):
    import keras

    check = lab02.check_price_model
    result, out = run(check, lab2_model(), capsys)
    assert result.passed and out == "✓ price_model: all 6 checks passed\n"
    _, out = run(check, None, capsys)
    assert out.startswith("✗ check 1/6 (a Keras model): price_model is None")
    mistakes = [
        (dict(hidden="sigmoid"), "check 3/6 (layer 1)", "hidden layers use ReLU by default"),
        (dict(units=8), "check 3/6 (layer 1)", "has 8 units"),
        (dict(outputs=2), "check 4/6 (output layer)", "needs 1 output unit"),
        (dict(output="linear"), "check 5/6", "never negative; a ReLU output keeps f(x) >= 0"),
        (dict(output="sigmoid"), "check 5/6", 'write Dense(1, activation="relu")'),
        (dict(loss=keras.losses.BinaryCrossentropy()), "check 6/6 (loss)", "MeanSquaredError"),
        (dict(compiled=False), "check 6/6 (loss)", "not compiled"),
    ]
    for kwargs, where, fragment in mistakes:
        result, out = run(check, lab2_model(**kwargs), capsys)
        assert not result.passed and where in out and fragment in out, (kwargs, out)


# ------------------------------------------------------------------ Lab 7's Keras exercise


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
