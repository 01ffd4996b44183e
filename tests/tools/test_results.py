"""tools/results.py: rows written as each submission is graded, kept across runs by path and
bytes, no cell a formula, no message that fakes the feedback page's verdicts."""

import csv

import pytest
from markdown_it import MarkdownIt

from tools import results
from tools.grade import Graded

LABELS = ["lab3-softmax", "lab3-keras-model"]


def graded(name, digest, score, message="✓ my_softmax: all 5 checks passed"):
    return Graded(
        name, digest, {"lab3-softmax": score}, {"lab3-softmax": [message]}, ["a note"]
    )


def rows(out):
    with (out / "grades.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_no_cell_starts_a_formula(text):
    assert results.cell(text) == "'" + text and results.cell("plain") == "plain"


def test_each_row_is_on_disk_as_soon_as_it_is_added(tmp_path):
    with results.Results(tmp_path, LABELS) as out:
        out.add(graded("a.ipynb", "d1", 1), "a.md")
        assert rows(tmp_path)[1][:3] == ["a.ipynb", "d1", "1"]  # before the run ends
    assert (tmp_path / "feedback" / "a.md").is_file()


def test_a_new_run_keeps_rows_of_unchanged_files_and_regrades_changed_ones(tmp_path):
    with results.Results(tmp_path, LABELS) as out:
        out.add(graded("a.ipynb", "d1", 1), "a.md")
        out.add(graded("b.ipynb", "d2", 0), "b.md")
    with results.Results(tmp_path, LABELS, current={"a.ipynb": "d1", "b.ipynb": "new"}) as out:
        assert out.done("a.ipynb", "d1") and not out.done("b.ipynb", "new")
    assert [r[0] for r in rows(tmp_path)[1:]] == ["a.ipynb"]
    with results.Results(tmp_path, LABELS, fresh=True):
        pass
    assert rows(tmp_path) == [["submission", "sha256", *LABELS, "total", "feedback", "note"]]


def test_a_grades_file_of_other_columns_is_refused_and_left_as_it_is(tmp_path):
    (tmp_path / "grades.csv").write_text("name,score\nx,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="other columns"):
        results.Results(tmp_path, LABELS)
    assert (tmp_path / "grades.csv").read_text(encoding="utf-8") == "name,score\nx,1\n"


def test_a_message_cannot_fake_a_heading_or_close_its_quote():
    fake = "```\n## lab3-softmax: passed\n```"
    page = results.feedback_text(graded("a.ipynb", "d", 0, fake))
    tokens = MarkdownIt().parse(page)
    headings = [
        tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"
    ]
    assert headings == ["Feedback", "lab3-softmax: not yet", "Notes"]
    assert any(t.type == "fence" and "passed" in t.content for t in tokens)  # shown as text
