"""tools/gradescope.py: each lab's autograder zip holds what Gradescope's specification asks and
no solution, and its ``run_autograder``, run in a simulated autograder tree, writes a valid
results.json: full marks for a full lab, 0 for its student edition, 0 and a message for a
broken notebook, and "could not run" where the sandbox cannot be made.

Spec: https://gradescope-autograders.readthedocs.io/en/latest/specs/ (results.json's fields).
"""

import json
import os
import stat
import subprocess
import sys
import zipfile

import jsonschema
import pytest

from tests.support import ROOT
from tests.support.grading import needs_sandbox
from tools import gradescope, sandbox, student

SLOT = 15  # kernels in slot 15, so judges in 47: slots no other test file uses
LAB = "08"  # the fastest lab to grade (about 5 s)
VISIBILITY = ["hidden", "after_due_date", "after_published", "visible"]
SCORE = {"type": "number", "minimum": 0}
# The fields of results.json this autograder writes, as the specification names them.
RESULTS_SCHEMA = {
    "type": "object",
    "required": ["score", "output", "tests"],
    "additionalProperties": False,
    "properties": {
        "score": SCORE,
        "output": {"type": "string", "minLength": 1},
        "visibility": {"enum": VISIBILITY},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "score", "max_score", "output", "visibility"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "score": SCORE,
                    "max_score": SCORE,
                    "output": {"type": "string", "minLength": 1},
                    "visibility": {"enum": VISIBILITY},
                },
            },
        },
    },
}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """Lab 8's autograder zip, built once."""
    out = tmp_path_factory.mktemp("gradescope")
    paths = gradescope.build(out)
    assert [p.name for p in paths] == [f"lab{n:02d}.zip" for n in range(1, 9)]
    return out / f"lab{LAB}.zip"


def test_a_bundle_holds_the_scripts_the_pins_and_the_checkers_and_no_lab(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        pins = archive.read("requirements.txt")
        run = archive.read("run_autograder").decode()
    assert {"setup.sh", "run_autograder", "requirements.txt", "pyproject.toml"} <= names
    assert {"utils/exercises/lab08.py", "tools/gradescope.py", "tools/judge.py"} <= names
    assert pins == (ROOT / "requirements.txt").read_bytes()
    for script in ("setup.sh", "run_autograder"):
        assert modes[script] & stat.S_IXUSR, script
    assert f"--lab {LAB}" in run
    assert not any(n.startswith(("labs/", "tests/")) or n.endswith(".ipynb") for n in names)
    assert "tools/pdf.py" not in names  # only what the grader imports


def autograde(bundle, tmp_path, notebook_text):
    """Run the bundle's run_autograder in a fresh simulated /autograder holding one submitted
    notebook (its text, or None for none); return results.json, checked against the spec."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    if notebook_text is not None:
        (root / "submission" / "lab.ipynb").write_text(notebook_text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env |= {"AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    script = root / "source" / "run_autograder"
    script.chmod(0o755)  # zipfile's extractall drops the modes checked above
    done = subprocess.run(
        [str(script), "--slot", str(SLOT)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, RESULTS_SCHEMA)
    return results


@needs_sandbox
def test_run_autograder_gives_full_marks_to_a_full_lab_and_0_to_its_student_edition(
    bundle, tmp_path
):
    full_path = ROOT / "labs" / "08_backprop.ipynb"
    labels = gradescope.lab_labels(LAB)
    full = autograde(bundle, tmp_path / "full", full_path.read_text(encoding="utf-8"))
    assert [t["name"] for t in full["tests"]] == labels
    assert all(t["score"] == t["max_score"] == 1 for t in full["tests"]), full
    assert full["score"] == len(labels)
    blank = student.student_edition(json.loads(full_path.read_text(encoding="utf-8")))
    given = autograde(bundle, tmp_path / "student", json.dumps(blank))
    assert [t["name"] for t in given["tests"]] == labels
    assert given["score"] == 0 and all(t["score"] == 0 for t in given["tests"]), given


@needs_sandbox
def test_a_broken_or_missing_notebook_gets_valid_results_with_0_and_a_message(bundle, tmp_path):
    broken = autograde(bundle, tmp_path / "broken", '{"cells": [')
    assert broken["score"] == 0
    assert "not valid JSON" in broken["output"], broken
    assert broken["tests"] and all("not valid JSON" in t["output"] for t in broken["tests"])
    missing = autograde(bundle, tmp_path / "missing", None)
    assert missing["score"] == 0 and "no notebook" in missing["output"]


def test_without_the_sandbox_nothing_is_graded_and_results_say_what_to_install(
    tmp_path, monkeypatch
):
    def unavailable():
        raise sandbox.SandboxUnavailable("bwrap not found")

    monkeypatch.setattr(sandbox, "require_sandbox", unavailable)
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "lab.ipynb").write_text("{}", encoding="utf-8")
    results = gradescope.run(LAB, tmp_path, slot=SLOT)
    saved = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    assert saved == results
    jsonschema.validate(results, RESULTS_SCHEMA)
    assert results["score"] == 0 and results["tests"] == []
    assert "could not run" in results["output"] and "bubblewrap" in results["output"]


def test_a_lab_without_exercises_is_refused():
    with pytest.raises(ValueError, match="lab"):
        gradescope.lab_labels("99")
    with pytest.raises(ValueError, match="lab"):
        gradescope.lab_labels("eight")
