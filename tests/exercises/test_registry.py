"""The registry of every lab's exercises (utils/exercises/__init__.py): labels, answer names
and checkers agree, every lab but Lab 8 has a Keras exercise, no answer name shadows utils."""

import importlib
import pkgutil

import utils
from utils import exercises
from utils.exercises import lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08

LAB_MODULES = [lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08]


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


def test_every_function_exercise_names_at_least_five_mistakes():
    """Item 5 of the exercises' design: a checker that diagnoses has a catalogue (each entry
    is tried in the lab's tests/exercises/test_labNN.py)."""
    short = {
        f"{label}/{answer}": len(checker.mistakes)
        for label, answers in exercises.EXERCISES.items()
        for answer, checker in answers.items()
        if hasattr(checker, "mistakes") and len(checker.mistakes) < 5
    }
    assert not short, f"function exercises with fewer than 5 catalogued mistakes: {short}"
