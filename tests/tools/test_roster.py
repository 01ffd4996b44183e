"""tools/roster.py: with a roster, roster.csv has one row per student (missing and duplicate
hand-ins noted) and one per submission of nobody; a file that is not a roster is refused."""

import csv

import pytest

from tools.grade import Graded
from tools.results import Results
from tools.roster import read_roster, write_roster_grades

LABELS = ["lab3-softmax", "lab3-keras-model"]


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_one_row_per_student(tmp_path):
    out = tmp_path / "out"
    with Results(out, LABELS) as results:
        for name, scores in (
            ("ada/lab3.ipynb", (1, 1)),
            ("ben/lab3-draft.ipynb", (1, 0)),
            ("ben/lab3.ipynb", (1, 0)),
            ("ben/lab3-v2.ipynb", (0, 0)),
            ("stray.ipynb", (0, 1)),
        ):
            graded = Graded(name, "0" * 64, scores=dict(zip(LABELS, scores, strict=True)))
            results.add(graded, name.replace("/", "-") + ".md")
    roster = write(
        tmp_path / "roster.csv",
        "student_id,name,pattern\n1,Ada L.,ada/*.ipynb\n2,Ben,ben/*\n3,=Cy,cy/*.ipynb\n",
    )
    with open(write_roster_grades(out, read_roster(roster)), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["student_id"], r["name"], r["submission"], r["total"]) for r in rows] == [
        ("1", "Ada L.", "ada/lab3.ipynb", "2"),
        ("2", "Ben", "ben/lab3-draft.ipynb", "1"),  # the highest total, the first on a tie
        ("3", "'=Cy", "", ""),
        ("", "", "stray.ipynb", "1"),
    ]
    assert rows[0]["note"] == ""
    assert rows[1]["note"] == (
        "3 hand-ins, the highest total kept; also ben/lab3.ipynb (total 1), "
        "ben/lab3-v2.ipynb (total 0)"
    )
    assert rows[2]["note"] == "missing: no file matches cy/*.ipynb"
    assert rows[3]["note"] == "matches no student of the roster"
    assert rows[1]["lab3-softmax"] == "1" and rows[1]["feedback"] == "ben-lab3-draft.ipynb.md"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("id,name\n1,Ada\n", "header"),
        ("", "header"),
        ("student_id,name,pattern\n1,Ada,\n", "line 2 needs an id, a name and a pattern"),
        ("student_id,name,pattern\n1,Ada,a*\n1,Ben,b*\n", "line 3: student id '1' twice"),
    ],
)
def test_a_file_that_is_not_a_roster_is_refused(tmp_path, text, match):
    with pytest.raises(ValueError, match=match):
        read_roster(write(tmp_path / "roster.csv", text))
    with pytest.raises(ValueError, match="roster 'nowhere.csv' cannot be read"):
        read_roster("nowhere.csv")
