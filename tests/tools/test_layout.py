"""tools.layout: the repository root and the lab notebooks, in chapter order."""

import yaml

from tools import layout


def _toc_files(node):
    """Every ``file:`` entry of ``_toc.yml``, in order."""
    if isinstance(node, dict):
        found = [node["file"]] if "file" in node else []
        for value in node.values():
            if isinstance(value, (dict, list)):
                found += _toc_files(value)
        return found
    return [f for item in node for f in _toc_files(item)]


def test_root_is_the_repository():
    assert (layout.ROOT / "_toc.yml").is_file() and (layout.ROOT / "utils").is_dir()


def test_labs_are_the_books_chapters_in_toc_order():
    toc = yaml.safe_load((layout.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    chapters = [f for f in _toc_files(toc) if f.startswith("labs/")]
    found = [p.relative_to(layout.ROOT).with_suffix("").as_posix() for p in layout.labs()]
    assert found == [f.removesuffix(".ipynb") for f in chapters] and len(found) == 8


def test_labs_of_another_root(tmp_path):
    (tmp_path / "labs").mkdir()
    for name in ("02_b.ipynb", "01_a.ipynb", "notes.md"):
        (tmp_path / "labs" / name).write_text("{}", encoding="utf-8")
    assert [p.name for p in layout.labs(tmp_path)] == ["01_a.ipynb", "02_b.ipynb"]
