"""Every lab within the reading-load limits of CONTRIBUTING ("The shape of a chapter",
"Reading load"), as tools.reading_load measures it."""

import json

import pytest

from tools.reading_load import labs, measure

# CONTRIBUTING ("The shape of a chapter", "Reading load"): what one lab may ask of its reader.
LIMITS = {
    "main_words": 1300,
    "max_agreements_per_section": 1,
    "longest_plot_cell": 6,
    "widest_code_line": 79,
    "widest_output_line": 79,
}


@pytest.mark.parametrize("path", labs(), ids=lambda p: p.stem)
def test_every_lab_is_read_in_one_sitting(path) -> None:
    load = measure(json.loads(path.read_text(encoding="utf-8")))
    over = {
        name: (getattr(load, name), limit)
        for name, limit in LIMITS.items()
        if getattr(load, name) > limit
    }
    assert not over, f"{path.name} is over the limits (value, limit): {over}"
