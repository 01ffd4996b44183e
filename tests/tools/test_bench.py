"""`make bench` writes its tables between markers of README.md and intro.md (tools/bench.py)."""

from __future__ import annotations

import pytest

from tests.support import ROOT
from tools.bench import intro_table, readme_table, replace_between_markers

RESULTS = {  # the shape of _build/bench.json, with made-up numbers
    "date": "2026-01-01",
    "machine": "x86_64, 2 cores",
    "python": "3.11.7",
    "load_before": 0.5,
    "load_after": 1.5,
    "import_utils_s": 1.2,
    "import_loads_tensorflow": False,
    "floor_s": 5.0,
    "labs": {
        "01_training_steps": {"title": "The three steps", "seconds": 9.0, "floors": 1.8},
        "02_activations": {"title": "Activation functions", "seconds": 12.5, "floors": 2.5},
    },
    "nbval_serial_s": 80.0,
    "nbval_parallel_s": 50.0,
    "book_s": 20.0,
    "epochs": [{"batch": "32", "by_hand_ms": 10.0, "keras_ms": 90.0}],
    "dense_loop_ms": 6.0,
    "dense_matmul_ms": 0.05,
    "accuracy": {"by hand": 0.9667},
}


@pytest.mark.parametrize(("page", "name"), [("README.md", "readme"), ("intro.md", "intro")])
def test_pages_have_the_markers_once(page: str, name: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    for marker in (f"<!-- bench:{name} -->", f"<!-- bench:{name} end -->"):
        assert text.count(marker) == 1, f"{page}: want {marker} exactly once"


def test_tables_replace_only_what_is_between_the_markers() -> None:
    text = "before\n<!-- bench:intro -->\nold table\n<!-- bench:intro end -->\nafter\n"
    new = replace_between_markers(text, "intro", intro_table(RESULTS))
    assert new.startswith("before\n<!-- bench:intro -->\n") and new.endswith("end -->\nafter\n")
    assert "old table" not in new
    assert "| 2 | Activation functions | 12 s | 2.5 |" in new
    assert replace_between_markers(new, "intro", intro_table(RESULTS)) == new


def test_readme_table_marks_labs_over_two_floors() -> None:
    rows = readme_table(RESULTS)
    assert "| lab 01_training_steps | 9.0 s = 1.8 floors | <= 2 floors: met |" in rows
    assert "| lab 02_activations | 12.5 s = 2.5 floors | <= 2 floors: MISSED |" in rows


def test_missing_markers_are_an_error() -> None:
    with pytest.raises(ValueError, match="bench:readme"):
        replace_between_markers("no markers here", "readme", ["x"])
