"""Student editions (tools/student.py): every solution cell removed, everything else as committed;
an edition runs top to bottom without an error; the student site hands out student copies and
has no launch button that could lead nowhere."""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.support import ROOT
from tools import setup_cell, student

LABS = student.labs()


def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", LABS, ids=lambda p: p.stem)
def test_an_edition_is_the_lab_without_its_solutions(path):
    nb = load(path)
    edition = student.student_edition(nb)
    kept = [c for c in nb["cells"] if not student.is_solution(c)]
    assert edition["cells"] == kept and edition["metadata"] == nb["metadata"]
    removed = [c for c in nb["cells"] if student.is_solution(c)]
    assert len(removed) == 2 * len(re.findall(r":label: lab", json.dumps(nb)))
    text = json.dumps(edition)
    assert "{solution}" not in text and '"solution"' not in text
    hidden = [
        c for c in edition["cells"] if c["metadata"].get("jupyter", {}).get("source_hidden")
    ]
    assert hidden == [setup_cell.first_code_cell(edition)]  # only the collapsed set-up cell
    stubs = "".join(
        "".join(o.get("text", "")) for c in edition["cells"] for o in c.get("outputs", [])
    )
    assert "checks passed" not in stubs and "✗ check 1/" in stubs


def test_the_student_config_has_no_dead_launch_buttons():
    config = {"launch_buttons": {"binderhub_url": "https://mybinder.org"}, "html": {}}
    plain = student.student_config(config)
    assert plain["launch_buttons"] == {"binderhub_url": "", "colab_url": "", "jupyterhub_url": ""}
    assert plain["html"]["use_edit_page_button"] is False
    assert plain["sphinx"]["config"]["course_edition"] == "student"
    branch = student.student_config(config, "student")
    assert branch["repository"]["branch"] == "student"
    assert branch["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert config["launch_buttons"]["binderhub_url"] == "https://mybinder.org"  # not changed
    with pytest.raises(ValueError, match="no local branch"):
        student.write_book(ROOT / "_build" / "student-never", "no-such-branch-here")
    with pytest.raises(TypeError, match="notebook must be"):
        student.student_edition([])


def execute(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(Path(path).parent)}},
    ).execute()
    return nb


def test_a_student_edition_runs_without_an_error(tmp_path):
    """Lab 8's edition (the quickest lab) runs top to bottom; the others: make matrix."""
    (path,) = [p for p in student.write_editions(tmp_path) if p.name.startswith("08_")]
    nb = execute(path)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]


@pytest.mark.matrix
def test_every_student_edition_runs_without_an_error(tmp_path):
    for path in student.write_editions(tmp_path):
        nb = execute(path)
        errors = [
            o
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.outputs
            if o.output_type == "error"
        ]
        assert not errors, f"{path.name}: {errors[0]['ename']}"


@pytest.mark.matrix
def test_the_student_site_hands_out_student_copies(tmp_path):
    out = tmp_path / "student"
    student.write_book(out)
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "jupyter-book"),
            "build",
            str(out),
            "--all",
            "-W",
            "-n",
            "--keep-going",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    html = out / "_build" / "html"
    for path in LABS:
        source = html / "_sources" / "labs" / path.name
        assert not any(student.is_solution(c) for c in load(source)["cells"]), path.name
        page = (html / "labs" / path.with_suffix(".html").name).read_text(encoding="utf-8")
        assert "mybinder.org" not in page and "colab.research.google.com" not in page
        assert "checks passed" not in page and "tag_solution" not in page


def test_the_student_book_has_no_edit_button_even_with_a_repository(tmp_path):
    """The book extension turns the repository buttons on for a resolved repository, but not
    "edit this page" in the student edition: it would open the full lab, solutions and all."""
    import importlib.util
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("course_book", ROOT / "_ext" / "course_book.py")
    course_book = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course_book)
    for edition, edit_button in (("full", True), ("student", False)):
        theme = {"repository_url": "https://github.com/owner/course", "repository_branch": "main",
                 "launch_buttons": {"binderhub_url": ""}}
        config = SimpleNamespace(html_theme_options=theme, myst_substitutions={},
                                 course_edition=edition)
        course_book.apply_repository(SimpleNamespace(srcdir=str(tmp_path)), config)
        assert theme["use_repository_button"] is True
        assert theme["use_edit_page_button"] is edit_button, edition
        assert theme["launch_buttons"] == {}, "an empty launch address is no button"
