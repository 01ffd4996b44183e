"""tools/grade.py: every kind of bad submission gives a row with a note, what can be graded is,
and no submission can change its own or anyone else's grade.

The fast tests grade small synthetic notebooks of Lab 3's exercise (no TensorFlow); grading the
eight full labs and their student editions takes minutes and runs in `make matrix`.
"""

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools import grade as grader
from tools import student, verdict

ROOT = Path(__file__).resolve().parents[1]
SLOT = 1  # the kernels' sandbox slot here: other test files grade in parallel in others
IMPORTS = (
    "import numpy as np\nfrom utils.exercises.lab03 import check_digits_model, check_my_softmax"
)
EXERCISE = "```{exercise} Write softmax\n:label: lab3-softmax\n\nWrite `my_softmax(z)`.\n```"
RIGHT = "def my_softmax(z):\n    e = np.exp(z - z.max())\n    return e / e.sum()\n"
STUB = "def my_softmax(z):\n    return None\n\n\ncheck_my_softmax(my_softmax)"
KERAS = (  # Lab 3's second exercise, left as its stub
    ("md", "```{exercise} The lecture's model\n:label: lab3-keras-model\n\nWrite it.\n```"),
    ("code", "digits_model = None\ncheck_digits_model(digits_model)"),
)


def notebook(*cells):
    """A notebook of ("md" or "code", source) cells."""
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": s}
            if kind == "md"
            else {
                "cell_type": "code",
                "metadata": {},
                "source": s,
                "outputs": [],
                "execution_count": None,
            }
            for kind, s in cells
        ],
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def lab3(answer, *extra):
    return notebook(("code", IMPORTS), ("md", EXERCISE), ("code", answer), *extra, *KERAS)


def run_grader(tmp_path, submissions, **limits):
    """Write ``submissions`` (name -> notebook dict or raw text), grade them; return the rows
    of grades.csv by submission, the feedback folder, and the Graded list."""
    folder = tmp_path / "submissions"
    for name, content in submissions.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content)
        path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    limits = {"cell_timeout": 20, "notebook_timeout": 120, **limits}
    graded = grader.grade(folder, out, log=lambda line: None, slot=SLOT, **limits)
    return read_rows(out), out / "feedback", graded


def read_rows(out):
    """The rows of ``out/grades.csv`` by submission."""
    with (out / "grades.csv").open(encoding="utf-8") as f:
        return {row["submission"]: row for row in csv.DictReader(f)}


def page(feedback, rows, name):
    """The feedback page of submission ``name``."""
    return (feedback / rows[name]["feedback"]).read_text(encoding="utf-8")


def test_honest_answers_pass_and_self_grading_changes_nothing(tmp_path):
    patch = (
        "import utils.exercises.grading as g, utils.exercises.lab03 as lab\n"
        "g.FunctionChecker.judge = lambda *a: g.Result(True, '✓ my_softmax: all 6 checks passed')\n"
        "g.Checker.verdict = g.FunctionChecker.judge\n"
        "lab.check_my_softmax = lambda f: print('✓ my_softmax: all 6 checks passed')\n"
        "check_my_softmax = lab.check_my_softmax"
    )
    rows, feedback, _ = run_grader(
        tmp_path,
        {
            "alice/lab3.ipynb": lab3(RIGHT + "\ncheck_my_softmax(my_softmax)"),
            "bob/lab3.ipynb": lab3(STUB, ("code", "print('✓ my_softmax: all 6 checks passed')")),
            "carol/lab3.ipynb": lab3(
                STUB, ("code", patch), ("code", "check_my_softmax(my_softmax)")
            ),
            "dave/lab3.ipynb": lab3("from utils.activations import softmax\nmy_softmax = softmax"),
        },
    )
    assert (
        rows["alice/lab3.ipynb"]["lab3-softmax"] == "1" and rows["alice/lab3.ipynb"]["note"] == ""
    )
    for name in ("bob", "carol", "dave"):
        assert rows[f"{name}/lab3.ipynb"]["lab3-softmax"] == "0", name
        assert rows[f"{name}/lab3.ipynb"]["total"] == "0"
    assert "✓ my_softmax: all 6 checks passed" in page(feedback, rows, "alice/lab3.ipynb")
    assert "expected [0.090031" in page(feedback, rows, "carol/lab3.ipynb")
    text = page(feedback, rows, "dave/lab3.ipynb")
    assert "uses the course's utils.activations.softmax: write your own" in text


def test_errors_missing_and_moved_exercises(tmp_path):
    rows, feedback, _ = run_grader(
        tmp_path,
        {
            "syntax.ipynb": lab3(RIGHT, ("code", "def broken(:\n    pass")),
            "exception.ipynb": lab3(RIGHT, ("code", "1 / 0")),
            "deleted.ipynb": notebook(("code", IMPORTS), ("code", "x = 1")),
            "moved.ipynb": notebook(
                ("md", EXERCISE), ("code", IMPORTS + "\n" + RIGHT), ("code", "y = 2"), *KERAS
            ),
        },
    )
    assert rows["syntax.ipynb"]["lab3-softmax"] == "1"
    assert rows["syntax.ipynb"]["note"] == "code cell 3 raised SyntaxError: invalid syntax (line 1)"
    assert rows["exception.ipynb"]["lab3-softmax"] == "1"
    assert (
        rows["exception.ipynb"]["note"] == "code cell 3 raised ZeroDivisionError: division by zero"
    )
    assert rows["deleted.ipynb"]["lab3-softmax"] == "0"
    assert rows["deleted.ipynb"]["note"].startswith("exercise lab3-softmax is missing")
    assert "my_softmax is not defined" in page(feedback, rows, "deleted.ipynb")
    assert rows["moved.ipynb"]["lab3-softmax"] == "1" and rows["moved.ipynb"]["note"] == ""


def test_endless_loops_time_limits_and_crashing_kernels(tmp_path, monkeypatch):
    monkeypatch.setitem(verdict.TIMEOUTS, "function", 4)  # the judge's limit for a function
    loop = "def my_softmax(z):\n    while True:\n        pass\n\n\nmy_softmax(1)"
    rows, feedback, _ = run_grader(
        tmp_path,
        {
            "loop.ipynb": lab3(loop),
            "exit.ipynb": lab3(RIGHT, ("code", "import os\nos._exit(3)"), ("code", "z = 1")),
            "segfault.ipynb": notebook(
                ("code", "import ctypes\nctypes.string_at(0)"),
                ("code", IMPORTS),
                ("md", EXERCISE),
                ("code", RIGHT),
                *KERAS,
            ),
            # four cells of 3 s each: each within the cell limit, together past the
            # notebook's 9 s however fast the kernel starts
            "slow.ipynb": lab3(RIGHT, *[("code", "import time\ntime.sleep(3)")] * 4),
        },
        cell_timeout=4,
        notebook_timeout=9,
    )
    loop_row = rows["loop.ipynb"]
    assert loop_row["lab3-softmax"] == "0"
    assert loop_row["note"].startswith("code cell 2: stopped at the time limit of 4 s")
    assert "past the time limit of 4 s" in page(feedback, rows, "loop.ipynb")
    exit_row = rows["exit.ipynb"]
    assert exit_row["lab3-softmax"] == "1"  # observed before the crash
    assert exit_row["note"].startswith(
        "code cell 3: the kernel died; kernel restarted, earlier results lost"
    )
    seg_row = rows["segfault.ipynb"]
    assert seg_row["lab3-softmax"] == "1"  # the kernel is restarted and the rest still runs
    assert seg_row["note"].startswith("code cell 1: the kernel died")
    slow_row = rows["slow.ipynb"]
    assert slow_row["lab3-softmax"] == "1"
    assert "the notebook's time limit of 9 s was reached" in slow_row["note"]


def test_files_that_are_not_notebooks(tmp_path):
    rows, feedback, graded = run_grader(
        tmp_path,
        {
            "broken.ipynb": '{"cells": [',
            "list.ipynb": "[1, 2]",
            "cells.ipynb": '{"cells": [{"cell_type": "video"}]}',
            "empty.ipynb": json.dumps(notebook(("code", "x = 1"))),
        },
    )
    assert rows["broken.ipynb"]["note"] == "not valid JSON (line 1, column 12)"
    assert rows["list.ipynb"]["note"] == "not a notebook: no list of cells"
    assert rows["cells.ipynb"]["note"] == "not a notebook: no list of cells"
    assert rows["empty.ipynb"]["note"] == "no exercise of any lab found"
    assert all(row["total"] == "0" for row in rows.values())
    assert "broken.ipynb" in page(feedback, rows, "broken.ipynb")


def test_a_submission_cannot_touch_others_or_the_output(tmp_path):
    folder, out = tmp_path / "submissions", tmp_path / "out"
    cheat = lab3(
        STUB,
        (
            "code",
            f"import json, pathlib\n"
            f"victim = pathlib.Path({str(folder / 'b.ipynb')!r})\n"
            f"nb = json.loads(victim.read_text())\n"
            f"nb['cells'][2]['source'] = 'my_softmax = None'\n"
            f"victim.write_text(json.dumps(nb))\n"
            f"out = pathlib.Path({str(out)!r})\n"
            f"(out / 'feedback').mkdir(parents=True, exist_ok=True)\n"
            f"(out / 'feedback' / 'forged.md').write_text('x')\n"
            f"(out / 'grades.csv').write_text('a.ipynb,1,1,')",
        ),
    )
    rows, feedback, _ = run_grader(tmp_path, {"a.ipynb": cheat, "b.ipynb": lab3(RIGHT)})
    assert rows["a.ipynb"]["lab3-softmax"] == "0"
    assert rows["b.ipynb"]["lab3-softmax"] == "1"  # read before a.ipynb ran
    assert sorted(p.name for p in feedback.iterdir()) == sorted(
        row["feedback"] for row in rows.values()
    )


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="SUBMISSIONS must be a folder"):
        grader.grade(tmp_path / "nowhere", tmp_path / "out")
    with pytest.raises(ValueError, match="cell_timeout must be a positive"):
        grader.grade(tmp_path, tmp_path / "out", cell_timeout=0)
    with pytest.raises(ValueError, match="OUT and SUBMISSIONS must not be inside one another"):
        grader.grade(tmp_path, tmp_path / "out")


def test_answers_are_found_by_the_names_cells_bind():
    assert grader.bound_names("%matplotlib inline\ndef f(x):\n    y = 1\nimport numpy as np") >= {
        "f",
        "np",
    }
    assert grader.bound_names("def broken(:") == set()
    nb = notebook(("code", "from utils.exercises.lab08 import check_sigmoid_unit_gradients"))
    assert grader.exercises_of(nb, grader.utils.exercises.EXERCISES) == (
        ["lab8-central-difference", "lab8-sigmoid-unit"],
        [],
    )


# ---------------------------------------------------------------- make matrix: the full labs


@pytest.mark.matrix
def test_full_labs_score_every_exercise_and_student_editions_none(tmp_path):
    """The 8 labs as committed pass every exercise; their student editions pass none."""
    folder = tmp_path / "submissions"
    (folder / "full").mkdir(parents=True)
    for path in student.lab_paths():
        shutil.copy(path, folder / "full" / path.name)
    student.write_editions(folder / "student")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "tools.grade", str(folder), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr
    with (out / "grades.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 16
    n_labels = len(grader.utils.exercises.EXERCISES)
    for row in rows:
        scores = [row[label] for label in grader.utils.exercises.EXERCISES if row[label] != ""]
        want = "1" if row["submission"].startswith("full/") else "0"
        assert scores and set(scores) == {want}, row
        assert row["note"] == "", row
    assert sum(int(r["total"]) for r in rows) == n_labels
    print(result.stdout)
