"""The book builds with zero warnings and shows what the committed notebooks show.

One build per test session, shared with the other book tests (`book_build` in
tests/conftest.py): `jupyter-book build . --all -W -n --keep-going` into a temporary folder.
Every expectation is read from `_toc.yml` and the notebooks themselves.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.support import ROOT
from tests.support.book import toc_files

# Tags with which MyST-NB leaves a cell's outputs out of the page.
HIDDEN_OUTPUT_TAGS = {"remove-output", "remove-cell"}
# MIME types MyST-NB prefers over image/png when an output has several (HTML builder).
PREFERRED_OVER_PNG = {
    "application/vnd.jupyter.widget-view+json",
    "application/javascript",
    "text/html",
    "image/svg+xml",
}


def source_of(entry: str) -> Path:
    """The source file of a toc entry, which may be given with or without its extension."""
    path = ROOT / entry
    if path.suffix in {".md", ".ipynb"} and path.exists():
        return path
    matches = [path.with_name(path.name + ext) for ext in (".md", ".ipynb")]
    matches = [m for m in matches if m.exists()]
    assert len(matches) == 1, f"_toc.yml entry {entry!r}: want one .md or .ipynb, found {matches}"
    return matches[0]


def html_page(html: Path, source: Path) -> Path:
    """The page built from `source` in the book whose `_build/html` is `html`."""
    return html / source.relative_to(ROOT).with_suffix(".html")


TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
SOURCES = [source_of(entry) for entry in toc_files(TOC)]
NOTEBOOKS = [s for s in SOURCES if s.suffix == ".ipynb"]


def visible_outputs(cell: dict) -> list[dict]:
    """The outputs of a code cell that the book shows, given the cell's tags."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    if tags & HIDDEN_OUTPUT_TAGS:
        return []
    outputs = cell.get("outputs", [])
    for stream in ("stdout", "stderr"):
        if f"remove-{stream}" in tags:
            outputs = [
                o for o in outputs if not (o["output_type"] == "stream" and o["name"] == stream)
            ]
    return outputs


def is_png_image(output: dict) -> bool:
    data = output.get("data", {})
    return "image/png" in data and not (PREFERRED_OVER_PNG & data.keys())


class CellOutputParser(HTMLParser):
    """Counts `cell_output` divs and collects the <img> sources inside them."""

    def __init__(self) -> None:
        super().__init__()
        self.cell_outputs = 0
        self.images: list[str] = []
        self._depth = 0  # depth of nested divs inside the current cell_output, 0 = outside

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "div":
            if self._depth:
                self._depth += 1
            elif "cell_output" in (attributes.get("class") or "").split():
                self.cell_outputs += 1
                self._depth = 1
        elif tag == "img" and self._depth:
            self.images.append(attributes.get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._depth:
            self._depth -= 1


@pytest.fixture(scope="module")
def book(book_build) -> Path:
    """The `_build/html` of the session's book build."""
    return book_build.html


def test_toc_lists_pages() -> None:
    assert SOURCES, "_toc.yml lists no pages"
    assert len(set(SOURCES)) == len(SOURCES), "a page is listed twice in _toc.yml"


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.relative_to(ROOT).as_posix())
def test_every_toc_page_is_built(book: Path, source: Path) -> None:
    page = html_page(book, source)
    assert page.is_file(), f"{source.relative_to(ROOT)} has no page at {page.relative_to(book)}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda s: s.relative_to(ROOT).as_posix())
def test_notebook_outputs_are_rendered(book: Path, notebook: Path) -> None:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code_cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    outputs = [visible_outputs(c) for c in code_cells]
    expected_cell_outputs = sum(1 for o in outputs if o)
    expected_images = sum(1 for o in outputs for output in o if is_png_image(output))

    page = html_page(book, notebook)
    parser = CellOutputParser()
    parser.feed(page.read_text(encoding="utf-8"))

    name = notebook.relative_to(ROOT).as_posix()
    assert parser.cell_outputs == expected_cell_outputs, (
        f"{name}: {expected_cell_outputs} code cells have outputs in the notebook, "
        f"but the page shows {parser.cell_outputs} cell_output blocks"
    )
    assert len(parser.images) == expected_images, (
        f"{name}: {expected_images} PNG outputs in the notebook, "
        f"but {len(parser.images)} <img> in the page's cell outputs"
    )
    for src in parser.images:
        assert not src.startswith(("http:", "https:", "data:")), f"{name}: image not a file: {src}"
        image = (page.parent / src).resolve()
        assert image.is_file(), f"{name}: <img src={src!r}> points to a missing file {image}"
