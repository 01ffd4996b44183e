"""tools/verdict.py and the Keras verdict: exported files are read without trusting them, a
judge's report is parsed with caps, and a Keras model is judged by what it is and does (its
own layers, weights and predictions), never by what it says about itself.

Tests that judge a saved model start the Keras judge's sandbox (skipped, named, where the
sandbox cannot be made); the others run here.
"""

import json
import os
import sys

import cloudpickle
import keras
import numpy as np
import pytest

from tests.support.grading import needs_sandbox
from tools import sandbox, verdict
from utils.exercises import keras_model, lab03, lab06, probe

cloudpickle.register_pickle_by_value(sys.modules[__name__])

SLOT = 13
RNG = np.random.default_rng(7)
LAB6_FIT = "model.fit(X, y, epochs=2, batch_size=32, verbose=0)"


# ---------------------------------------------------------------- exported files


def answers_folder(tmp_path):
    folder = tmp_path / verdict.ANSWERS
    folder.mkdir()
    return folder


def test_an_exported_answer_is_read_and_a_missing_one_is_none(tmp_path):
    assert verdict.read_answer(tmp_path, "my_softmax", "function") is None
    folder = answers_folder(tmp_path)
    (folder / "my_softmax.pkl").write_bytes(b"data")
    assert verdict.read_answer(tmp_path, "my_softmax", "function") == verdict.Answer("pkl", b"data")
    (folder / "model.keras").write_bytes(b"zip")
    (folder / "model.pkl").write_bytes(b"none")
    assert verdict.read_answer(tmp_path, "model", "keras").suffix == "keras"
    (folder / "other.error").write_text("PicklingError: cannot pickle 'generator'")
    answer = verdict.read_answer(tmp_path, "other", "function")
    assert answer.problem.startswith("it cannot be saved for the grader: PicklingError")


def test_forged_export_files_are_not_followed(tmp_path):
    """Links (to the grader's files), pipes, folders, huge files: a note, never a read."""
    folder = answers_folder(tmp_path)
    secret = tmp_path / "secret"
    secret.write_bytes(b"the grader's")
    (folder / "link.pkl").symlink_to(secret)
    os.mkfifo(folder / "pipe.pkl")
    (folder / "dir.pkl").mkdir()
    with (folder / "huge.pkl").open("wb") as f:
        f.truncate(verdict.MAX_ANSWER_BYTES + 1)
    for name in ("link", "pipe", "dir", "huge"):
        answer = verdict.read_answer(tmp_path, name, "function")
        assert answer.problem.startswith("its exported file cannot be read"), name
        report = verdict.judge(lab03.check_my_softmax, [], answer)
        assert not lab03.check_my_softmax.verdict([], report).passed
    other = tmp_path / "other"
    other.mkdir()
    (other / verdict.ANSWERS).symlink_to(folder)
    assert "cannot be read" in verdict.read_answer(other, "link", "function").problem


def test_judges_never_share_the_kernels_slot():
    slots = {k: verdict.judge_slot(k) for k in range(sandbox.MAX_SLOTS)}
    assert all(j != k for k, j in slots.items()) and len(set(slots.values())) == len(slots)
    with pytest.raises(ValueError, match="slot must be an int"):
        verdict.judge_slot(sandbox.MAX_SLOTS)


def test_an_export_cell_names_only_the_answers():
    code = verdict.export_code({"my_softmax": lab03.check_my_softmax, "model": lab06.check_model})
    compile(code, "<export>", "exec")
    assert "'my_softmax'" in code and "['model']" in code


def test_pickles_are_read_without_being_loaded():
    """The references of a pickle, found by pickletools: nothing in it runs."""
    from utils import activations

    assert "utils.activations.softmax" in probe.references(cloudpickle.dumps(activations.softmax))
    assert "utils.activations" in probe.references(
        cloudpickle.dumps(lambda z: activations.softmax(z))
    )

    class Bomb:
        def __reduce__(self):
            return (os.system, ("touch /tmp/should-not-exist",))

    refs = probe.references(cloudpickle.dumps(Bomb()))
    assert any(r.endswith(".system") for r in refs) and not os.path.exists("/tmp/should-not-exist")
    with pytest.raises(ValueError, match="not a pickle"):
        probe.references(b"\x80\x05garbage")


# ---------------------------------------------------------------- reports


def test_reports_are_parsed_with_caps():
    assert verdict.parse_report(b'{"calls": []}') == {"calls": []}
    for bad in (
        b"",
        b"\xff\xfe",
        b"[1, 2]",
        b"not json",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a": '
        + b"[" * (verdict.MAX_REPORT_DEPTH + 1)
        + b"]" * (verdict.MAX_REPORT_DEPTH + 1)
        + b"}",
    ):
        with pytest.raises(ValueError):
            verdict.parse_report(bad)


@pytest.mark.parametrize(
    "report",
    [
        None,
        [],
        {"calls": "all passed"},
        {"calls": [{"value": {"array": [1.0], "shape": [3], "dtype": "float64"}}] * 6},
        {"calls": [{"value": {"array": [[1.0]], "shape": [1], "dtype": "object"}}] * 6},
        {"calls": [{"value": {"array": [1e999], "shape": [1], "dtype": "int8"}}] * 6},
        {"calls": [{"value": {"dict": [[{"list": []}, {"none": True}]]}}] * 6},
        {"calls": [{"passed": True}] * 6},
        {"passed": True, "message": "✓ my_softmax: all 6 checks passed"},
        {"reaches": 3},
    ],
)
def test_a_garbled_report_fails_without_an_exception(report):
    """Whatever a judge (or an answer inside it) writes, the verdict is a Result, never a pass
    and never an exception."""
    expected = lab03.check_my_softmax.expected(RNG)
    result = lab03.check_my_softmax.verdict(expected, report)
    assert not result.passed and result.message.startswith("✗ ")


def test_a_forged_report_must_hold_the_right_values():
    """A report that claims outputs is judged on them: right values need the right function."""
    expected = lab03.check_my_softmax.expected(RNG)
    forged = {"calls": [{"value": probe.encode(np.ones(3) / 3)} for _ in expected]}
    assert not lab03.check_my_softmax.verdict(expected, forged).passed


# ---------------------------------------------------------------- Keras models


def digits_model(units=(25, 15, 10), output="softmax", from_logits=False):
    layers = [keras.Input(shape=(64,))]
    layers += [keras.layers.Dense(u, activation="relu") for u in units[:-1]]
    layers += [keras.layers.Dense(units[-1], activation=output)]
    model = keras.Sequential(layers)
    model.compile(
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits),
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    )
    return model


LAB3 = lab03.check_digits_model.expected(RNG)  # drawn once: the facts' predictions are on X


def lab3_verdict(facts):
    return lab03.check_digits_model.verdict(LAB3, {"model": facts})


def facts_of(model):
    return json.loads(json.dumps(probe.model_facts(model, LAB3["X"])))


def test_a_right_model_passes_from_its_facts():
    assert lab3_verdict(facts_of(digits_model())).passed


def test_a_functional_model_is_judged_like_a_sequential_one():
    inputs = keras.Input(shape=(64,))
    x = keras.layers.Dense(25, activation="relu")(inputs)
    x = keras.layers.Dense(15, activation="relu")(x)
    model = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x))
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(), optimizer="adam")
    assert lab3_verdict(facts_of(model)).passed


def test_units_come_from_the_weights_not_the_config():
    """A 64-1-1-1 network whose get_config says 25-15-10 is a 64-1-1-1 network."""

    class Liar(keras.layers.Dense):
        def get_config(self):
            return {**super().get_config(), "units": 25}

    model = keras.Sequential(
        [keras.Input(shape=(64,)), Liar(1, activation="relu"), Liar(1, activation="relu")]
        + [keras.layers.Dense(1, activation="softmax")]
    )
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    result = lab03.check_digits_model(model)
    assert not result.passed and "Keras's own model and layers" in result.message
    facts = facts_of(model)
    for layer in facts["layers"]:  # even if the facts claimed Keras's own Dense
        layer.update({"builtin": True, "class": "Dense"})
    result = lab3_verdict(facts)
    assert not result.passed and "layer 1 (Dense) has 1 units" in result.message


def test_predictions_must_be_what_the_weights_compute():
    """Facts whose weights, activation or predictions were edited do not pass."""
    facts = facts_of(digits_model())
    linear = facts_of(digits_model(output="linear"))  # claims softmax, computes logits
    linear["layers"][-1]["activation"] = "softmax"
    assert "not what its layers' weights compute" in lab3_verdict(linear).message
    edits = [
        lambda f: f["layers"][1]["weights"].__setitem__(0, probe.encode(np.zeros((25, 15)))),
        lambda f: f.update(predictions=probe.encode(np.full((5, 10), 0.1))),
    ]
    for edit in edits:
        lying = json.loads(json.dumps(facts))
        edit(lying)
        assert "not what its layers' weights compute" in lab3_verdict(lying).message
    lying = json.loads(json.dumps(facts))
    lying["predictions"] = None
    assert "cannot predict" in lab3_verdict(lying).message
    lying = json.loads(json.dumps(facts))
    lying["layers"].insert(0, {"class": "Lambda", "builtin": True, "weights": []})
    assert not lab3_verdict(lying).passed


def test_history_and_step_counter_are_not_believed():
    """An untrained model with a hand-set history and optimizer.iterations, with or without a
    fit in the code: not trained."""
    model = digits_model(from_logits=True, output="linear")

    class History:
        params = {"epochs": 2, "steps": 45}
        epoch = [0, 1]

    model.history = History()
    model.optimizer.iterations.assign(90)
    result = lab06.check_model(model, source=[""])
    # the fit's names, defined in plain code (the answer's flow must be the notebook's own)
    plain = "X = y = start = w = []\nmodel = 1\n"
    assert not result.passed and "has not been trained" in result.message
    result = lab06.check_model(model, source=[f"{plain}{LAB6_FIT}"])
    assert not result.passed and "its biases are all still 0" in result.message
    for layer in model.layers:  # biases set by hand, weights still untrained
        layer.bias.assign(np.full(layer.bias.shape, 0.01))
    result = lab06.check_model(model, source=[f"{plain}{LAB6_FIT}"])
    assert not result.passed and "what untrained models score" in result.message
    hidden = f"{plain}if False:\n    {LAB6_FIT}"
    assert "has not been trained" in lab06.check_model(model, source=[hidden]).message
    for reset in ("model.set_weights(start)", "model.layers[0].set_weights(w)"):
        result = lab06.check_model(model, source=[f"{plain}{LAB6_FIT}\n{reset}"])
        assert "its weights were set by hand after fit" in result.message


def test_fit_calls_are_read_from_the_code():
    cells = ["model = build()", LAB6_FIT, "other.fit(X, y, epochs=9)"]
    assert keras_model.fit_calls(cells, "model") == [{"epochs": 2, "batch_size": 32}]
    cells = [LAB6_FIT, "model = build()\nhistory = model.fit(X, y, epochs=n, batch_size=len(X))"]
    assert keras_model.fit_calls(cells, "model") == [{"epochs": None, "batch_size": "all"}]
    cells = [
        "n = 3\nmodel = build()",
        "model.fit(X, y, epochs=n)",
        "n = f()\nmodel.fit(X, epochs=n)",
    ]
    assert keras_model.fit_calls(cells, "model") == [
        {"epochs": 3, "batch_size": 32},
        {"epochs": None, "batch_size": 32},
    ]
    assert keras_model.fit_calls(["def broken(:", "model.fit(X, y)"], "model") == [
        {"epochs": 1, "batch_size": 32}
    ]
    assert keras_model.fit_calls([LAB6_FIT, "for model in []:\n    pass"], "model") == []


def saved(model, tmp_path):
    path = tmp_path / "model.keras"
    model.save(path)
    return verdict.Answer("keras", path.read_bytes())


def keras_judged(checker, answer, source=()):
    expected = checker.expected(RNG)
    report = verdict.judge(checker, expected, answer, slot=SLOT)
    return checker.verdict(expected, report, list(source)), report


@needs_sandbox
def test_saved_models_are_judged_by_what_they_are(tmp_path):
    """The Keras judge loads a saved model in safe mode: Keras's own classes only; a config
    that lies (a class of one's own, a patched get_config) gains nothing."""
    result, _ = keras_judged(lab03.check_digits_model, saved(digits_model(), tmp_path))
    assert result.passed, result.message

    class Liar(keras.layers.Dense):
        def get_config(self):
            return {**super().get_config(), "units": 25}

    liar = keras.Sequential([keras.Input(shape=(64,)), Liar(1), keras.layers.Dense(10)])
    result, report = keras_judged(lab03.check_digits_model, saved(liar, tmp_path))
    assert "not_builtin" in report and "Keras's own model and layers" in result.message

    original = keras.layers.Dense.get_config
    keras.layers.Dense.get_config = lambda self: {**original(self), "units": 25}
    try:
        patched = saved(digits_model(units=(1, 1, 10)), tmp_path)
    finally:
        keras.layers.Dense.get_config = original
    result, _ = keras_judged(lab03.check_digits_model, patched)
    assert not result.passed, result.message

    lam = keras.Sequential([keras.Input(shape=(64,)), keras.layers.Lambda(lambda x: x * 0)])
    result, report = keras_judged(lab03.check_digits_model, saved(lam, tmp_path))
    assert not result.passed and "not_builtin" in report


@needs_sandbox
def test_a_stub_and_non_models_in_the_keras_judge():
    for value, start in ((None, "✗ check 1/9 (a Keras model)"), (3, "✗ digits_model: model")):
        answer = verdict.Answer("pkl", cloudpickle.dumps(value))
        result, _ = keras_judged(lab03.check_digits_model, answer)
        assert result.message.startswith(start), result.message


# ---------------------------------------------------------------- whole submissions

LAB3_IMPORTS = "import numpy as np\nfrom utils.exercises.lab03 import check_my_softmax"
SOFTMAX_STUB = "def my_softmax(z):\n    return None\n\n\ncheck_my_softmax(my_softmax)"
RIGHT_SOFTMAX = "def my_softmax(z):\n    e = np.exp(z - z.max())\n    return e / e.sum()\n"
FORGED = {  # a stub, plus a cell that tries to forge the verdict or the exported answer
    "json.dumps replaced": "import json\njson.dumps = lambda *a, **k: '{\"calls\": []}'",
    "print replaced": "import builtins\nbuiltins.print = lambda *a, **k: None",
    "an input transformer": (
        "get_ipython().input_transformers_post.append(\n"
        "    lambda lines: ['my_softmax = lambda z: np.exp(z) / np.exp(z).sum()\\n'])"
    ),
    "a function named exec": "def exec(*args, **kwargs):\n    return None",
    "cloudpickle.dump replaced": (
        "import cloudpickle, utils.activations\n"
        "cloudpickle.dump = lambda obj, f: f.write(cloudpickle.dumps(utils.activations.softmax))"
    ),
    "a forged export file": (
        "import os, cloudpickle, threading, time, utils.activations\n"
        "os.makedirs('.answers', exist_ok=True)\n"
        "def forge():\n"
        "    for _ in range(200):\n"
        "        with open('.answers/my_softmax.pkl', 'wb') as f:\n"
        "            f.write(cloudpickle.dumps(utils.activations.softmax))\n"
        "        time.sleep(0.05)\n"
        "threading.Thread(target=forge, daemon=True).start()"
    ),
    "a link as the export": (
        "import os\nos.makedirs('.answers', exist_ok=True)\n"
        "os.symlink('/etc/passwd', '.answers/my_softmax.pkl')\n"
        "os.chmod('.answers', 0o500)"
    ),
}


def lab3_softmax_notebook(answer, extra=""):
    cells = [
        ("code", LAB3_IMPORTS),
        ("markdown", "```{exercise} Softmax\n:label: lab3-softmax\n\nWrite it.\n```"),
        ("code", answer),
    ] + ([("code", extra)] if extra else [])
    return {
        "cells": [
            {"cell_type": kind, "metadata": {}, "source": source}
            | ({"outputs": [], "execution_count": None} if kind == "code" else {})
            for kind, source in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@needs_sandbox
def test_forged_verdicts_give_no_point(tmp_path):
    """Each forgery the old in-kernel observation fell for, on a stub: 0 points; the same
    forgeries next to a right answer do not cost it its point (the answer is what counts)."""
    from tools import grade

    folder = tmp_path / "submissions"
    folder.mkdir()
    notebooks = {"right": lab3_softmax_notebook(RIGHT_SOFTMAX)}
    for n, cell in enumerate(FORGED.values()):
        notebooks[f"forged-{n}"] = lab3_softmax_notebook(SOFTMAX_STUB, cell)
    for name, nb in notebooks.items():
        (folder / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    grade.grade(folder, tmp_path / "out", cell_timeout=30, notebook_timeout=120, log=lambda _: 0)
    with (tmp_path / "out" / "grades.csv").open(encoding="utf-8") as f:
        rows = {row["submission"]: row for row in __import__("csv").DictReader(f)}
    assert rows["right.ipynb"]["lab3-softmax"] == "1", rows["right.ipynb"]
    for n, name in enumerate(FORGED):
        assert rows[f"forged-{n}.ipynb"]["lab3-softmax"] == "0", (name, rows[f"forged-{n}.ipynb"])
