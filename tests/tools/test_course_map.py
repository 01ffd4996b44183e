"""The landing page's course map is drawn from _toc.yml, and the committed SVG is current."""

import yaml

from tools import course_map


def test_map_has_every_lab_of_the_toc_in_order():
    toc = yaml.safe_load(course_map.TOC.read_text(encoding="utf-8"))
    lab_files = [
        c["file"] for part in toc["parts"] for c in part.get("chapters", [])
        if c["file"].startswith("labs/")
    ]
    parts = course_map.read_parts()
    labs = [lab for part in parts for lab in part.labs]
    assert [lab.number for lab in labs] == list(range(1, len(lab_files) + 1))
    assert [p.caption for p in parts] == [
        p["caption"].removesuffix("(optional)").strip()
        for p in toc["parts"]
        if any(c["file"].startswith("labs/") for c in p.get("chapters", []))
    ]
    assert all(lab.optional == ("(optional)" in lab.lines) for lab in labs)
    assert all(1 <= len(lab.lines) and max(map(len, lab.lines)) <= 22 for lab in labs)


def test_committed_svg_is_what_the_toc_draws():
    """Fails when _toc.yml or a lab's title changed: run `python -m tools.course_map`."""
    assert course_map.OUT.read_text(encoding="utf-8") == course_map.svg(course_map.read_parts())
