"""utils/exercises/probe.py: what an answer is and does, as capped JSON data, and what a
pickled answer reaches, read without running it."""

import json
import sys

import cloudpickle
import numpy as np
import pytest

from utils import activations
from utils.exercises import probe

# This module's functions travel by value, as a notebook's do.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def test_values_round_trip_through_json():
    values = [None, "relu", 3, 2.5, np.float32(1.5), np.arange(6).reshape(2, 3), (1, [2.0])]
    for value in values:
        back = probe.decode(json.loads(json.dumps(probe.encode(value))))
        if isinstance(value, tuple):
            assert back[0] == 1 and np.array_equal(back[1][0], 2.0)
        elif value is None or isinstance(value, str):
            assert back == value
        else:
            assert np.array_equal(back, value) and np.asarray(back).dtype == np.asarray(value).dtype


def test_encoding_is_capped_in_depth_length_and_size():
    deep = []
    for _ in range(probe.MAX_DEPTH + 5):
        deep = [deep]
    text = json.dumps(probe.encode(deep))
    assert text.count("[") <= 2 * (probe.MAX_DEPTH + 2)
    assert len(probe.encode(list(range(5 * probe.MAX_LENGTH)))["list"]) == probe.MAX_LENGTH
    assert "other" in probe.encode(np.zeros(probe.MAX_ITEMS + 1))
    assert len(probe.encode("x" * 10_000)["str"]) == probe.MAX_TEXT
    keyed = probe.decode(json.loads(json.dumps(probe.encode({(1, 2): 3}))))
    assert list(keyed.values()) == [3]  # a tuple key is kept as data, not a crash


def _helper(z):
    return activations.softmax(z)


@pytest.mark.parametrize(
    "answer",
    [activations.softmax, lambda z: activations.softmax(z), _helper],
    ids=["the function", "a lambda calling it", "a helper calling it"],
)
def test_a_pickle_that_reaches_the_course_is_named(answer):
    data = cloudpickle.dumps(answer)
    reached = probe.refused(data, {"numpy", "cloudpickle"})
    assert reached is not None and reached.startswith("utils"), probe.references(data)


def test_numpy_and_the_standard_library_are_allowed():
    data = cloudpickle.dumps(lambda z: np.exp(z - np.max(z)) / np.sum(np.exp(z - np.max(z))))
    assert probe.refused(data, {"numpy", "cloudpickle"}) is None
    assert probe.refused(cloudpickle.dumps(json.dumps), {"numpy", "cloudpickle"}) is None


def test_a_damaged_pickle_is_a_value_error_not_a_crash():
    with pytest.raises(ValueError, match="not a pickle"):
        probe.references(b"\x80\x05garbage")


def test_calls_report_values_errors_and_changed_arguments():
    def in_place(z):
        z += 1
        return z

    report = probe.call_answer(in_place, [(np.zeros(2),)])["calls"][0]
    assert report["changed"] == "z"
    raised = probe.call_answer(lambda z: 1 / 0, [(1.0,)])["calls"][0]
    assert raised["raised"].startswith("ZeroDivisionError")
    assert probe.call_answer(3, [])["not_callable"] == "int"
