"""The book's PDF files (`make pdf`, tools/pdf.py), read back with pypdf.

The session's book build (`book_build`, tests/conftest.py) is printed once for this module
into a temporary folder: `book.pdf` and one PDF per lab. Every expectation is read from the
built site, `_toc.yml` and the notebooks; the PDFs are read with poppler-utils (pdftotext,
pdffonts, pdfimages) and pypdf (bookmarks):

- the title page names the book, its version and its licences; the contents page gives each
  chapter the page its bookmark points at; every chapter title is there in `_toc.yml` order;
- no raw TeX (`$$`, `\\frac`, ...) outside code, no MathJax error message, and every PDF
  carries MathJax's glyphs (Type 3 fonts);
- every figure of the site is in the PDF: each raster figure as an embedded image of its
  pixel size, and the text of each SVG figure;
- the longest line of every code block sits whole on one line of the PDF, and no word ends
  past the right margin;
- every font is embedded;
- no solution (code, written solution or its "all checks passed" output) is printed, and the
  optional boxes are, marked "Optional";
- the student edition's PDF (marked matrix: it builds the student book) holds no solution.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import struct
import subprocess
import sys
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.support import ROOT  # noqa: E402
from tools import pdf, student

PAGES = pdf.toc_pages(ROOT)
LABS = [p for p in PAGES if p.name.startswith(pdf.LAB_PREFIX)]
RAW_TEX = re.compile(r"\$\$|\\(frac|begin\{|end\{|mathbf|sum_|\(|\)|\[|\])")
# What MathJax prints in place of a formula it cannot typeset (its TeX input errors).
MATHJAX_ERRORS = ("Math input error", "Math output error", "Undefined control sequence",
                  "Missing open brace", "Missing close brace", "Extra close brace",
                  "Extra open brace", "Missing argument for", "Misplaced &")
MM = 72 / 25.4  # PDF points per millimetre
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "source", "track", "wbr"}


# ------------------------------------------------------------------------------ the site


class ArticleParser(HTMLParser):
    """The parts of a built page's article the PDF must show (or must not): code blocks'
    text, figures, optional boxes' titles, and what sits inside solutions."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.code: list[str] = []  # text of each <pre> outside outputs and solutions
        self.outputs: list[str] = []  # text of each <pre> of an output, outside solutions
        self.images: list[str] = []  # src of each <img> outside solutions
        self.optional: list[str] = []  # titles of the dropdown boxes that are not solutions
        self.h1: list[str] = []
        self.maths = 0  # formulas outside solutions (MathJax typesets them)
        self._stack: list[set[str]] = []  # per open tag: what it starts (see handle_starttag)
        self._text: list[str] | None = None

    def _inside(self, what: str) -> bool:
        return any(what in marks for marks in self._stack)

    def handle_starttag(self, tag, attrs) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        marks = set()
        # what print leaves out: solutions, and the collapsed set-up cell (tag hide-input)
        left_out = ({"cell", "tag_solution"}, {"cell", "tag_hide-input"})
        if "solution" in classes or any(tags <= classes for tags in left_out):
            marks.add("solution")
        if "cell_output" in classes:
            marks.add("output")
        if {"dropdown", "admonition"} <= classes and "solution" not in classes:
            marks.add("optional")
        if tag == "a" and "headerlink" in classes:
            marks.add("headerlink")
        if tag in ("pre", "h1") or (tag == "p" and "admonition-title" in classes
                                    and self._inside("optional")):
            marks.add(f"text:{tag}")
            self._text = []
        if "math" in classes and not self._inside("solution"):
            self.maths += 1
        if tag == "img" and not self._inside("solution"):
            self.images.append(dict(attrs).get("src") or "")
        if tag not in VOID_TAGS:
            self._stack.append(marks)

    def handle_endtag(self, tag) -> None:
        if tag in VOID_TAGS or not self._stack:
            return
        marks = self._stack.pop()
        text = "".join(self._text or [])
        if "text:pre" in marks and not self._inside("solution"):
            (self.outputs if self._inside("output") else self.code).append(text)
        elif "text:h1" in marks:
            self.h1.append(" ".join(text.split()))
        elif "text:p" in marks and not self._inside("solution"):
            self.optional.append(" ".join(text.split()))
        if any(m.startswith("text:") for m in marks):
            self._text = None

    def handle_data(self, data) -> None:
        if self._text is not None and not self._inside("headerlink"):
            self._text.append(data)


def article(site: Path, page: pdf.TocPage) -> ArticleParser:
    text = (site / f"{page.name}.html").read_text(encoding="utf-8")
    start = text.index('<article class="bd-article">')
    parser = ArticleParser()
    parser.feed(text[start : text.index("</article>", start)])
    return parser


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, from its header."""
    return struct.unpack(">II", path.read_bytes()[16:24])


def solution_lines() -> list[str]:
    """Lines of the labs' solution cells that no other cell of any lab has (stripped, at least
    12 characters), and the solution code's 'all n checks passed' outputs."""
    solution, other = set(), set()
    for page in LABS:
        cells = json.loads((ROOT / f"{page.name}.ipynb").read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            lines = {line.strip() for line in "".join(cell["source"]).splitlines()}
            (solution if student.is_solution(cell) else other).update(lines)
    return sorted(line for line in solution - other if len(line) >= 12)


# ------------------------------------------------------------------------------- the PDF


def poppler(tool: str, *args: str) -> str:
    """What a poppler-utils tool prints (pdftotext, pdffonts, pdfimages)."""
    return subprocess.run([tool, *args], capture_output=True, text=True, encoding="utf-8",
                          check=True).stdout


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*?)</word>")


class PdfText:
    """A PDF's text per page (pdftotext), its lines rebuilt from the words' positions, and
    the words that end past the right margin."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.reader = PdfReader(path)
        pages = poppler("pdftotext", "-enc", "UTF-8", str(path), "-").split("\f")[:-1]
        self.pages = [unicodedata.normalize("NFKC", page) for page in pages]
        self.text = " ".join(" ".join(page.split()) for page in self.pages)
        self.lines: list[str] = []  # each line of each page, words joined by one space
        self.overflow: list[str] = []
        bbox = poppler("pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-")
        for number, page in enumerate(bbox.split("<page ")[1:], start=1):
            width = float(re.match(r'width="([\d.]+)"', page).group(1))
            right = width - pdf.MARGIN_MM["right"] * MM
            lines: dict[float, list[tuple[float, str]]] = {}
            for x_min, x_max, y_max, word in WORD.findall(page):
                word = unicodedata.normalize("NFKC", html.unescape(word))
                lines.setdefault(round(float(y_max), 1), []).append((float(x_min), word))
                if float(x_max) > right + 0.5:
                    self.overflow.append(f"page {number}: {word!r} ends at {float(x_max):.0f}"
                                         f" pt, the margin is at {right:.0f} pt")
            self.lines += [" ".join(word for _, word in sorted(words))
                           for words in lines.values()]


def outline(reader: PdfReader, entries=None, depth: int = 0) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    found = []
    for entry in reader.outline if entries is None else entries:
        if isinstance(entry, list):
            found += outline(reader, entry, depth + 1)
        else:
            found.append((depth, entry.title, reader.get_destination_page_number(entry)))
    return found


def fonts(path: Path, pages: range | None = None) -> list[tuple[str, bool]]:
    """(type, embedded) of every font the PDF's pages use (pdffonts), or those of `pages`
    (indices)."""
    where = ["-f", str(pages.start + 1), "-l", str(pages.stop)] if pages else []
    rows = poppler("pdffonts", *where, str(path)).splitlines()[2:]
    found = []
    for row in rows:  # name, type (several words), encoding, emb, sub, uni, object, generation
        words = row.split()
        found.append((" ".join(words[1:-6]), words[-5] == "yes"))
    return found


def image_sizes(path: Path) -> Counter:
    """How many images of each pixel size the pages draw (pdfimages; masks aside)."""
    rows = poppler("pdfimages", "-list", str(path)).splitlines()[2:]
    return Counter((int(r.split()[3]), int(r.split()[4])) for r in rows if r.split()[2] == "image")


# ------------------------------------------------------------------------------ fixtures


def needs_tools() -> None:
    """Skip, saying how to install them, without Chromium (to print) or poppler-utils (to
    read); `.ci/run` installs both."""
    try:
        pdf.chromium_executable()
    except FileNotFoundError as error:
        pytest.skip(str(error))
    if shutil.which("pdftotext") is None:
        pytest.skip("the PDF tests read the PDFs with poppler-utils: install it with "
                    "`sudo apt-get install -y --no-install-recommends poppler-utils`")


@pytest.fixture(scope="module")
def built(book_build, tmp_path_factory) -> dict[Path, int]:
    """The session's book printed: book.pdf and labs/NN_topic.pdf, with their page counts."""
    needs_tools()
    return pdf.build(ROOT, book_build.html, tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="module")
def book(built) -> PdfText:
    return PdfText(next(path for path in built if path.name == "book.pdf"))


@pytest.fixture(scope="module")
def articles(book_build) -> dict[str, ArticleParser]:
    return {page.name: article(book_build.html, page) for page in PAGES}


# --------------------------------------------------------------------------------- tests


def test_one_pdf_per_lab_and_the_book(built) -> None:
    names = sorted(path.relative_to(next(iter(built)).parent).as_posix() for path in built)
    assert names == sorted(["book.pdf"] + [f"{page.name}.pdf" for page in LABS])
    for path, pages in built.items():
        assert len(PdfReader(path).pages) == pages > 1, path.name


def test_title_page_and_contents(book, articles) -> None:
    version = re.search(r'^version = "([^"]+)"$',
                        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M).group(1)
    title = " ".join(book.pages[0].split())
    assert articles[PAGES[0].name].h1[0] in title
    for words in (f"Version {version}", "MIT licence", "CC BY 4.0"):
        assert words in title, f"the title page does not say {words!r}: {title}"
    titles = chapter_titles(articles)
    chapters = {t: page + 1 for _, t, page in outline(book.reader) if t in titles}
    assert len(chapters) == len(titles)
    contents = " ".join(book.pages[1].split())
    for name, number in chapters.items():
        assert f"{name} {number}" in contents, f"contents: {name!r} is not given page {number}"


def chapter_titles(articles) -> list[str]:
    return [articles[page.name].h1[0] for page in PAGES]


def test_every_chapter_in_toc_order(book, articles) -> None:
    """Each page's title is a bookmark, in `_toc.yml` order, on the page where the text shows
    it; the labs' bookmarks sit under their parts' captions."""
    marks = outline(book.reader)
    titles = chapter_titles(articles)
    found = [(t, page) for _, t, page in marks if t in titles]
    assert [t for t, _ in found] == titles
    for title, page in found:
        assert title in " ".join(book.pages[page].split()), f"{title!r} not on page {page + 1}"
    parts = {page.part for page in PAGES if page.part}
    assert parts <= {t for depth, t, _ in marks if depth == 0}
    text = " ".join(" ".join(p.split()) for p in book.pages[found[0][1]:])
    position = 0
    for title in titles:  # and in the text after the contents, in that order
        position = text.find(title, position)
        assert position >= 0, f"chapter {title!r} missing from the text, or out of order"


def chapter_pages(book: PdfText, articles) -> dict[str, range]:
    """The book's pages (indices) that each page of the site printed to."""
    titles = chapter_titles(articles)
    starts = {t: page for _, t, page in outline(book.reader) if t in titles}
    firsts = [starts[t] for t in titles] + [len(book.pages)]
    return {p.name: range(firsts[i], firsts[i + 1]) for i, p in enumerate(PAGES)}


def normalised(text: str) -> str:
    """Text as the PDF's is compared: ligatures and the like spelt out, one space between
    words."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_no_raw_tex_and_the_maths_is_typeset(book, articles) -> None:
    """No TeX source outside code and outputs, no MathJax error message; the pages of every
    page of the site with formulas, and only those, use Type 3 fonts (MathJax's glyphs)."""
    code = {normalised(line) for parsed in articles.values()
            for block in parsed.code + parsed.outputs for line in block.splitlines()}
    prose = [line for line in book.lines if line not in code]
    raw = [line for line in prose if RAW_TEX.search(line)]
    assert not raw, f"raw TeX in the text (code and outputs aside): {raw[:3]}"
    for words in MATHJAX_ERRORS:
        assert words not in book.text, f"{words!r} in the text"
    for name, pages in chapter_pages(book, articles).items():
        glyphs = [kind for kind, _ in fonts(book.path, pages) if kind == "Type 3"]
        if articles[name].maths:
            assert glyphs, f"{name}: {articles[name].maths} formulas, no MathJax glyph printed"
        else:
            assert not glyphs, f"{name}: no formula, yet Type 3 fonts (MathJax's glyphs)"


def test_every_figure_is_in_the_pdf(book, built, articles, book_build) -> None:
    site = book_build.html
    for page in PAGES:
        parsed = articles[page.name]
        rasters = Counter(png_size((site / page.name).parent / src) for src in parsed.images
                          if src.lower().endswith(".png"))
        for src in parsed.images:
            if src.lower().endswith(".svg"):
                svg = ((site / page.name).parent / src).read_text(encoding="utf-8")
                for text in re.findall(r"<text[^>]*>([^<]+)</text>", svg):
                    assert " ".join(text.split()) in book.text, f"{src}: {text!r} not in the PDF"
        if page in LABS:
            lab = next(p for p in built if p.name == f"{Path(page.name).name}.pdf")
            assert image_sizes(lab) == rasters, page.name
    all_rasters = sum((Counter(png_size((site / p.name).parent / src)
                               for src in articles[p.name].images if src.endswith(".png"))
                       for p in PAGES), Counter())
    assert image_sizes(book.path) == all_rasters


def test_code_lines_fit_the_page(book, articles) -> None:
    assert not book.overflow, "\n".join(book.overflow[:5])
    lines = set(book.lines)
    cut = []
    for page in PAGES:
        for block in articles[page.name].code:
            longest = normalised(max(block.splitlines() or [""], key=len))
            if longest and longest not in lines:
                cut.append(f"{page.name}: {longest!r}")
    assert not cut, "longest code lines not whole on one line of the PDF:\n" + "\n".join(cut[:5])


def test_fonts_are_embedded(built) -> None:
    for path in built:
        missing = [kind for kind, ok in fonts(path) if not ok]
        assert not missing, f"{path.name}: fonts not embedded: {missing}"


def assert_no_solution(text: PdfText, where: str) -> None:
    lines = set(text.lines)
    printed = [line for line in solution_lines() if normalised(line) in lines]
    assert not printed, f"{where}: solution code printed: {printed[:3]}"
    assert not re.search(r"all \d+ checks passed", text.text), f"{where}: a solution's output"
    assert "Solution to Exercise" not in text.text, f"{where}: a written solution"


def test_solutions_left_out_optional_boxes_in(book, articles) -> None:
    assert solution_lines(), "the labs have no solution code to look for"
    assert_no_solution(book, "book.pdf")
    optional = [t for page in PAGES for t in articles[page.name].optional]
    assert optional, "no optional box in the book"
    for title in optional:
        plain = title.lower().startswith(("optional", "hint"))  # hints: printed as they are
        marked = title if plain else f"Optional: {title}"
        marked = marked.split("\\(")[0].strip()  # the text before any maths in the title
        assert marked in book.text, f"box {title!r} not printed (marked Optional unless a hint)"


@pytest.mark.matrix
def test_the_student_pdf_holds_no_solution(tmp_path) -> None:
    """`make pdf STUDENT=1`: the student book built from the student editions, printed."""
    needs_tools()
    source = tmp_path / "student"
    student.write_book(source)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run([str(jupyter_book), "build", str(source), "--all", "-W", "-n"],
                            cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:]
    built = pdf.build(source, source / "_build" / "html", tmp_path / "pdf")
    book = PdfText(next(path for path in built if path.name == "book.pdf"))
    assert "Student edition" in book.pages[0]
    assert_no_solution(book, "the student book.pdf")
    for path in built:
        if path.name != "book.pdf":
            assert_no_solution(PdfText(path), path.name)
