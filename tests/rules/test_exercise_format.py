"""The exercises as the labs hold them: an {exercise} cell, the stub, a collapsed written
solution and a hidden solution cell, with the checker's outputs the format promises; the
expected answers come from utils."""

import json
import re

import pytest

from tests.support import ROOT
from utils import logistic_regression, losses
from utils.exercises import lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08

LAB_MODULES = [lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08]
LABS = sorted((ROOT / "labs").glob("[0-9][0-9]_*.ipynb"))


def notebook_exercises(path):
    """(label, exercise cell, stub, written solution, solution code) for each exercise."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for i, cell in enumerate(cells):
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and re.search(r"^`{3,}\{exercise\}", text, re.M):
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
    case = lab01.check_gradient_step.expected()[1]
    w, b = logistic_regression.gradient_descent_update(*case.args)
    assert (case.expected[0] == w).all() and case.expected[1] == b
    case = lab04.check_bce_from_logits.expected()[2]
    assert case.expected == losses.binary_crossentropy_from_logits(*case.args)


HINT = re.compile(r"^```\{admonition\} Hint (\d): .+\n:class: dropdown\n", re.M)
DROPDOWN = re.compile(r"^```\{admonition\}.*?^```$", re.M | re.S)


@pytest.mark.parametrize("path", LABS, ids=lambda p: p.stem)
def test_every_exercise_has_two_progressive_hints(path):
    """A direction, then the formula or the decision, collapsed in the exercise; the written
    solution is the third level (student editions drop it, the hints stay)."""
    for label, exercise, *_ in notebook_exercises(path):
        text = "".join(exercise["source"])
        assert [m.group(1) for m in HINT.finditer(text)] == ["1", "2"], label
        assert text.startswith("````{exercise}") and text.rstrip().endswith("````"), label


@pytest.mark.parametrize("path", LABS[:7], ids=lambda p: p.stem)
def test_keras_exercises_leave_the_loss_to_the_student(path):
    """The statement and the skeleton of a Keras exercise name neither the loss nor a value
    of from_logits: the student decides them (the hints may)."""
    module = LAB_MODULES[int(path.name[:2]) - 1]
    for label, exercise, stub, *_ in notebook_exercises(path):
        specs = [c.spec for c in module.EXERCISES[label].values() if hasattr(c, "spec")]
        statement = DROPDOWN.sub("", "".join(exercise["source"])) + "".join(stub["source"])
        for spec in specs:
            if spec.loss is not None:
                assert spec.loss not in statement, (label, spec.loss)
            assert "from_logits=" not in statement, label
