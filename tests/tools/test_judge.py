"""tools/judge.py in its sandbox: an answer is judged where no course code, no expected answer
and nothing of the grader's can be reached; whatever the answer does there (run code while it
is loaded, print, exit, flood or garble the report, reach the course by any route) gives it no
point, and the grader never fails because of it.

Every test starts real sandboxes (bubblewrap, as root): they are skipped, named, where the
sandbox cannot be made.
"""

import sys
import threading

import cloudpickle
import numpy as np
import pytest

from tests.support.grading import needs_sandbox
from tools import verdict
from utils import activations
from utils.exercises import lab02, lab03, lab04, lab08

# This module's answers travel by value, as a notebook's do.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

pytestmark = needs_sandbox

SLOT = 12  # a slot of its own: kernels and other tests use others
RNG = np.random.default_rng(2024)


def judged(checker, answer, data=None, **kwargs):
    """The Result of ``answer`` (or of the raw pickle ``data``) judged in a sandbox on inputs
    drawn here."""
    expected = checker.expected(RNG)
    blob = cloudpickle.dumps(answer) if data is None else data
    report = verdict.judge(checker, expected, verdict.Answer("pkl", blob), slot=SLOT, **kwargs)
    return checker.verdict(expected, report), report


def right_softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def test_a_right_answer_passes_and_a_stub_fails():
    result, _ = judged(lab03.check_my_softmax, right_softmax)
    assert result.passed and result.message == "✓ my_softmax: all 6 checks passed"
    result, _ = judged(lab03.check_my_softmax, lambda z: None)
    assert not result.passed and result.message.startswith("✗ check 1/6 (three logits)")


def test_inputs_are_drawn_at_grading_time():
    """A table of the notebook's inputs and answers passes in the notebook, not in the judge:
    the grader's cases differ wherever a value is random."""
    table = {case.args[0].tobytes(): case.expected for case in lab03.check_my_softmax.expected()}

    def memorised(z):
        return table.get(np.asarray(z).tobytes())

    assert lab03.check_my_softmax(memorised).passed  # the lab's own inputs
    result, _ = judged(lab03.check_my_softmax, memorised)
    assert not result.passed and "check 4/6" in result.message


def course_routes():
    """Answers that reach the course's softmax by every route a pickle can take."""
    import utils
    import utils.activations as acts

    own = activations.softmax

    def helper(z):
        return own(z)

    class Answer:
        def __call__(self, z):
            return acts.softmax(z)

    def with_default(z, f=activations.softmax):
        return f(z)

    return {
        "the function": own,
        "a call": lambda z: activations.softmax(z),
        "an alias": lambda z: acts.softmax(z),
        "the package": lambda z: utils.activations.softmax(z),
        "a closure": (lambda f: lambda z: f(z))(own),
        "a helper": lambda z: helper(z),
        "a class": Answer(),
        "a default argument": with_default,
        "a lambda in a list": [lambda z: own(z)][0],
    }


@pytest.mark.parametrize("route", list(course_routes()))
def test_the_course_cannot_be_reached_by_any_route(route):
    result, report = judged(lab03.check_my_softmax, course_routes()[route])
    assert not result.passed and report["reaches"].startswith("utils")
    assert result.message.startswith("✗ my_softmax uses the course's utils")


def test_routes_the_pickle_does_not_name_fail_in_the_judge():
    """Reaching the course at run time (by a computed name, a thread, sys.setprofile, a copied
    __code__ or __qualname__) is not in the pickle; the judge has no course to reach."""
    import importlib

    def by_name(z):
        return importlib.import_module("ut" + "ils.activations").softmax(z)

    def in_a_thread(z):
        out = []
        t = threading.Thread(target=lambda: out.append(by_name(z)))
        t.start()
        t.join()
        return out[0] if out else None

    def profiled(z):
        sys.setprofile(lambda *a: None)
        return by_name(z)

    renamed = lambda z: by_name(z)  # noqa: E731
    renamed.__qualname__ = "my_softmax"

    def copied(z):
        return None

    copied.__code__ = right_softmax.__code__  # a copy of the student's own code is theirs
    for answer in (by_name, in_a_thread, profiled, renamed):
        result, report = judged(lab03.check_my_softmax, answer)
        assert not result.passed, result.message
    assert "ModuleNotFoundError" in judged(lab03.check_my_softmax, by_name)[0].message
    assert judged(lab03.check_my_softmax, copied)[0].passed


def test_numpy_exercises_have_numpy_alone():
    """Keras or TensorFlow (or any package but numpy) in a numpy exercise: refused by name
    before the judge runs; Lab 4's TensorFlow exercise has them, never the course."""
    import tensorflow as tf

    result, report = judged(lab03.check_my_softmax, lambda z: tf.nn.softmax(z).numpy())
    assert report == {"reaches": "tensorflow"}
    assert result.message == "✗ my_softmax reaches tensorflow: write your own"
    result, _ = judged(lab04.check_logits_to_probabilities, lambda z: tf.nn.sigmoid(z).numpy())
    assert result.passed, result.message
    result, report = judged(lab04.check_logits_to_probabilities, lambda z: activations.sigmoid(z))
    assert not result.passed and report["reaches"] == "utils.activations"


class RunsAtLoad:
    """A pickle that runs code when it is loaded: what it does happens inside the judge."""

    def __init__(self, code):
        self.code = code

    def __reduce__(self):
        return (exec, (self.code,))


LOAD_ATTACKS = {
    # forge a report: print a passing one, then exit before the judge writes its own
    "forged report": "import os; os.write(1, b'{\"calls\": []}'); os._exit(0)",
    "exit": "raise SystemExit(0)",
    "replaced json.dumps": "import json; json.dumps = lambda *a, **k: '{\"calls\": []}'",
    "huge output": "import os\nwhile True: os.write(1, b'x' * 65536)",
    "deep output": "import os; os.write(1, b'[' * 100000 + b']' * 100000); os._exit(0)",
    "not JSON": "import os; os.write(1, b'\\xff\\xfe not json'); os._exit(0)",
    "endless": "while True: pass",
    "read the grader": "open('/work/../etc/shadow').read()",
}


@pytest.mark.parametrize("attack", list(LOAD_ATTACKS))
def test_code_run_at_load_gains_nothing(attack):
    result, report = judged(lab03.check_my_softmax, RunsAtLoad(LOAD_ATTACKS[attack]), timeout=20)
    assert not result.passed, (attack, report)
    assert result.message.startswith("✗ my_softmax"), result.message


def test_the_answer_prints_and_damaged_pickles_are_harmless():
    def chatty(z):
        print('{"calls": []}')
        return right_softmax(z)

    assert judged(lab03.check_my_softmax, chatty)[0].passed
    for data in (b"", b"not a pickle", cloudpickle.dumps(right_softmax)[:-5]):
        result, _ = judged(lab03.check_my_softmax, None, data=data)
        assert not result.passed and "could not be checked" in result.message


def test_plain_values_are_judged_as_data():
    """Lab 2's decision exercise: tuple keys, huge labels, deep nesting, odd objects."""
    right = {p: lab02._OUTPUT_PROBLEMS[p][0] for p in lab02.OUTPUT_PROBLEMS}
    assert judged(lab02.check_output_activations, right)[0].passed
    deep = []
    for _ in range(200):  # deeper than the report keeps (8 levels)
        deep = [deep]
    for answer in (
        {("a", 1): "relu", (1, (2, 3)): None},
        {"x" * 10**6: "relu"},
        {p: "s" * 10**6 for p in right},
        deep,
        {p: deep for p in right},
        {p: np.zeros(10**6) for p in right},
        object(),
    ):
        result, report = judged(lab02.check_output_activations, answer)
        assert not result.passed and result.message.startswith("✗ "), report


def test_a_tuple_of_arrays_travels_back_and_its_mistake_is_named():
    """Lab 8's Dense backward pass returns (dW, db, dA_in): judged in a sandbox, a right one
    passes and a catalogued mistake is named from the judge's report."""
    check = lab08.check_my_dense_backward
    result, _ = judged(check, lambda dZ, A_in, W: (A_in.T @ dZ, dZ.sum(axis=0), dZ @ W.T))
    assert result.passed, result.message
    result, _ = judged(check, lambda dZ, A_in, W: (A_in.T @ dZ, dZ.sum(axis=0), dZ @ W))
    assert not result.passed and "dA_in needs W transposed" in result.message, result.message
