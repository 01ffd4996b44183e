"""The book as PDF files, printed offline from the built site by the system Chromium.

    python -m tools.pdf [--book DIR] [--out DIR]

After `make book`, every page of the book's `_toc.yml` is opened from `DIR/_build/html`
(served on 127.0.0.1; any request that would leave the machine is refused) in the system
Chromium, driven by Playwright, and printed to A4 as `_static/print.css` lays it out, once
MathJax has typeset it: the solutions removed, the optional boxes open and marked
"Optional". pypdf then writes

- `OUT/book.pdf`: a title page (title, edition, version, licence), the contents with page
  numbers, every page in `_toc.yml` order; bookmarks for the parts, chapters and sections;
  a page number at the foot of every page after the title page;
- `OUT/labs/NN_topic.pdf`: each lab alone, with a title page of its own;

and copies OUT into the site as `DIR/_build/html/pdf/`, where the landing page and each
chapter's download menu link them (`_ext/course_book.py`). `make pdf` runs it on the book
(`.` into `_build/pdf`); `make pdf STUDENT=1` on the student editions' book
(`_build/student` into `_build/student/pdf`). Nothing is downloaded: Chromium is the
system's (`CHROMIUM=/path` picks another), pypdf and Playwright are pinned in
requirements-dev.txt.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import html
import http.server
import io
import os
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright
from pypdf import PdfReader, PdfWriter

from tools.layout import ROOT

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update"]
# The printed page: A4 with these margins; the page number sits in the bottom margin.
MARGIN_MM = {"top": 16, "right": 16, "bottom": 18, "left": 16}
TIMEOUT_MS = 60_000
SITE_DIR = "pdf"  # where the PDFs go inside the built site
LAB_PREFIX = "labs/"
MAX_LEVEL = 3  # bookmarks for the chapters (h1) and their sections down to h3

# Run in the page before printing: wait for MathJax and the images, remove every solution
# (the written one and its code cell), open and mark the optional boxes, and return the
# chapter's and its sections' headings, h1 to h6 (the bookmarks' titles).
PREPARE_PAGE = """async () => {
  const ready = () => window.MathJax && MathJax.startup && MathJax.startup.promise;
  if (document.querySelector('script[src*="mathjax"]')) {
    for (let i = 0; i < 400 && !ready(); i++) await new Promise(r => setTimeout(r, 25));
    if (!ready()) throw new Error("MathJax did not load");
    await MathJax.startup.promise;
  }
  const images = Array.from(document.images);
  images.forEach(img => { img.loading = "eager"; });
  await Promise.all(images.map(img => img.complete ? null : new Promise(r => {
    img.addEventListener("load", r); img.addEventListener("error", r);
  })));
  const article = document.querySelector("article.bd-article");
  article.querySelectorAll("div.solution, div.cell.tag_solution").forEach(e => e.remove());
  article.querySelectorAll(".admonition.dropdown").forEach(box => {
    box.classList.remove("toggle-hidden");
    const title = box.querySelector(".admonition-title");
    if (title && !/^\\s*(optional|hint)\\b/i.test(title.textContent)) {
      title.insertAdjacentText("afterbegin", "Optional: ");
    }
  });
  article.querySelectorAll("details").forEach(d => { d.open = true; });
  const text = h => {
    const copy = h.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(e => e.remove());
    return copy.textContent.replace(/\\s+/g, " ").trim();
  };
  const headings = ["h1", "h2", "h3", "h4", "h5", "h6"].map(h => `section > ${h}`).join(", ");
  return Array.from(article.querySelectorAll(headings))
    .map(h => ({level: Number(h.tagName[1]), title: text(h)}));
}"""

FRONT_CSS = """
@page { size: A4; margin: 0; }
body { margin: 0; font-family: "DejaVu Sans", sans-serif; color: #222; }
.sheet { box-sizing: border-box; width: 210mm; height: 297mm; padding: 60mm 25mm 25mm;
         break-after: page; overflow: hidden; position: relative; }
.sheet.contents { padding-top: 25mm; }
h1 { font-size: 26pt; font-weight: 500; margin: 0 0 6mm; }
h2 { font-size: 16pt; font-weight: 400; margin: 0 0 20mm; color: #444; }
.edition { font-size: 13pt; margin-bottom: 4mm; }
.licence { position: absolute; bottom: 25mm; left: 25mm; right: 25mm; font-size: 10pt; }
table { width: 100%; border-collapse: collapse; font-size: 11pt; }
td { padding: 1.2mm 0; } td.n { text-align: right; width: 15mm; }
tr.part td { padding-top: 5mm; font-weight: 600; }
tr.chapter td:first-child { padding-left: 6mm; }
.number { position: absolute; bottom: 8mm; left: 0; right: 0; text-align: center;
          font-size: 9pt; color: #444; }
"""


@dataclass(frozen=True)
class TocPage:
    """A page of `_toc.yml`: its name (`labs/01_training_steps`) and its part's caption."""

    name: str
    part: str | None


@dataclass(frozen=True)
class Bookmark:
    """An outline entry: level 0 a part, 1 a chapter (h1), 2 and 3 its sections (h2, h3);
    `page` counts from 0."""

    level: int
    title: str
    page: int


@dataclass
class PrintedPage:
    """A page printed alone: its PDF, and its headings with the page each starts on."""

    toc: TocPage
    pdf: bytes
    pages: int
    headings: list[Bookmark]

    @property
    def title(self) -> str:
        return next((h.title for h in self.headings if h.level == 1), self.toc.name)


def toc_pages(book: Path) -> list[TocPage]:
    """The pages of `book/_toc.yml` in reading order, with their parts' captions."""
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    pages = [TocPage(str(toc["root"]), None)]

    def walk(entries, part):
        for entry in entries or []:
            if "file" in entry:
                pages.append(TocPage(str(entry["file"]), part))
            walk(entry.get("sections"), part)

    walk(toc.get("chapters"), None)
    for part in toc.get("parts") or []:
        walk(part.get("chapters"), part.get("caption"))
    return [TocPage(re.sub(r"\.(md|ipynb)$", "", p.name), p.part) for p in pages]


def chromium_executable() -> str:
    """The system Chromium (or $CHROMIUM); a clear error where there is none."""
    if os.environ.get("CHROMIUM"):
        if not Path(os.environ["CHROMIUM"]).is_file():
            raise FileNotFoundError(f"CHROMIUM={os.environ['CHROMIUM']}: no such file")
        return os.environ["CHROMIUM"]
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError(
        "no Chromium found for the PDF: install it (Debian/Ubuntu: `sudo apt-get install -y "
        "--no-install-recommends chromium`) or set CHROMIUM=/path/to/chromium"
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@contextlib.contextmanager
def serve(folder: Path):
    """Serve `folder` on 127.0.0.1 for as long as the block runs; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _pdf_options() -> dict:
    margin = {side: f"{mm}mm" for side, mm in MARGIN_MM.items()}
    return {"format": "A4", "margin": margin, "print_background": True, "outline": True,
            "tagged": True}


def print_page(tab, url: str, toc: TocPage) -> PrintedPage:
    """Open `url` in the browser tab, prepare it (PREPARE_PAGE) and print it."""
    tab.goto(url, wait_until="load")
    headings = tab.evaluate(PREPARE_PAGE)
    pdf = tab.pdf(**_pdf_options())  # with the print media's styles (_static/print.css)
    reader = PdfReader(io.BytesIO(pdf))
    return PrintedPage(toc, pdf, len(reader.pages), place_headings(reader, headings, url))


def _outline_pages(reader, outline, depth: int = 1) -> list[tuple[int, int]]:
    """(depth, page index) of every entry of a PDF outline, depth first."""
    found = []
    for entry in outline:
        if isinstance(entry, list):
            found += _outline_pages(reader, entry, depth + 1)
        else:
            found.append((depth, reader.get_destination_page_number(entry)))
    return found


def place_headings(reader, headings: list[dict], url: str) -> list[Bookmark]:
    """The page's headings (titles from the page) with the pages Chromium's outline
    gives them; the outline lists the same headings in the same order (its own titles lose
    the spaces at line breaks, so only its pages are used)."""
    pages = _outline_pages(reader, reader.outline)
    if [depth for depth, _ in pages] != [h["level"] for h in headings]:
        raise RuntimeError(
            f"{url}: the PDF's outline {pages} does not match the page's headings {headings}"
        )
    return [Bookmark(h["level"], h["title"], page)
            for h, (_, page) in zip(headings, pages, strict=True) if h["level"] <= MAX_LEVEL]


def title_sheet(title: str, subtitle: str, edition: str, licence: str) -> str:
    """A title page, as an HTML `.sheet`."""
    return (
        f'<div class="sheet"><h1>{html.escape(title)}</h1><h2>{html.escape(subtitle)}</h2>'
        f'<div class="edition">{html.escape(edition)}</div>'
        f'<div class="licence">{licence}</div></div>'
    )


def contents_sheet(entries: list[Bookmark]) -> str:
    """The contents: parts, and chapters with their page numbers (1 = the title page)."""
    rows = []
    for entry in entries:
        kind = "part" if entry.level == 0 else "chapter"
        number = "" if entry.level == 0 else str(entry.page + 1)
        rows.append(f'<tr class="{kind}"><td>{html.escape(entry.title)}</td>'
                    f'<td class="n">{number}</td></tr>')
    return f'<div class="sheet contents"><h1>Contents</h1><table>{"".join(rows)}</table></div>'


def number_sheets(count: int) -> str:
    """`count` empty pages, each with its number at the foot (an overlay for page numbers)."""
    return "".join(f'<div class="sheet"><div class="number">{n}</div></div>'
                   for n in range(1, count + 1))


def render(tab, sheets: str):
    """Print HTML `.sheet`s, one A4 page each, to a PdfReader."""
    tab.set_content(f"<!DOCTYPE html><html><head><style>{FRONT_CSS}</style></head>"
                    f"<body>{sheets}</body></html>")
    return PdfReader(io.BytesIO(tab.pdf(format="A4", print_background=True,
                                        prefer_css_page_size=True)))


def assemble(front, chapters: list[PrintedPage], numbers, parts: bool, title: str):
    """A PdfWriter: the `front` pages, then the chapters, with bookmarks (grouped by part
    when `parts`) and a page number on every page but the first."""
    writer = PdfWriter()
    writer.append(front, import_outline=False)
    marks = []
    for chapter in chapters:
        offset = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(chapter.pdf)), import_outline=False)
        if parts and chapter.toc.part and not any(m.title == chapter.toc.part for m in marks):
            marks.append(Bookmark(0, chapter.toc.part, offset))
        marks += [Bookmark(h.level, h.title, h.page + offset) for h in chapter.headings]
    parents: dict[int, object] = {}
    for mark in marks:
        level = mark.level if parts else mark.level - 1
        parent = parents.get(level - 1) if level > 0 else None
        parents[level] = writer.add_outline_item(title=mark.title, page_number=mark.page,
                                                 parent=parent)
    for index, page in enumerate(writer.pages):
        if index:
            page.merge_page(numbers.pages[index])
        page.compress_content_streams()  # merge_page leaves the page's content uncompressed
    writer.add_metadata({"/Title": title})
    writer.page_mode = "/UseOutlines"
    return writer


def contents_entries(chapters: list[PrintedPage], first_page: int) -> list[Bookmark]:
    """Parts and chapters with the page each starts on, the chapters from `first_page`."""
    entries, page, part = [], first_page, None
    for chapter in chapters:
        if chapter.toc.part and chapter.toc.part != part:
            part = chapter.toc.part
            entries.append(Bookmark(0, part, page))
        entries.append(Bookmark(1, chapter.title, page))
        page += chapter.pages
    return entries


@dataclass(frozen=True)
class BookInfo:
    """What the title pages say: the title, the edition, and the site's licence footer."""

    title: str
    edition: str
    licence: str


def book_info(book: Path, tab, base: str) -> BookInfo:
    """The title (`_config.yml`), the edition and the version and licence line of the site's
    footer (read from its root page)."""
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    edition = ((config.get("sphinx") or {}).get("config") or {}).get("course_edition")
    tab.goto(f"{base}/index.html", wait_until="load")
    licence = tab.inner_html(".extra_footer").strip()
    label = ("Student edition: the exercises without their solutions" if edition == "student"
             else "The solutions are left out: they are in the website and the notebooks")
    return BookInfo(str(config["title"]), label, licence)


def write_book(chapters: list[PrintedPage], info: BookInfo, tab, path: Path) -> int:
    """The whole book at `path`; returns its page count."""
    body = sum(chapter.pages for chapter in chapters)
    contents_pages = 1
    while True:  # the contents' own length moves every chapter's first page
        entries = contents_entries(chapters, 1 + contents_pages)
        sheets = title_sheet(info.title, "The labs, with their code, outputs and figures",
                             info.edition, info.licence) + contents_sheet(entries)
        front = render(tab, sheets)
        if len(front.pages) == 1 + contents_pages:
            break
        contents_pages = len(front.pages) - 1
    numbers = render(tab, number_sheets(len(front.pages) + body))
    writer = assemble(front, chapters, numbers, parts=True, title=info.title)
    return _write(writer, path)


def write_lab(chapter: PrintedPage, info: BookInfo, tab, path: Path) -> int:
    """One lab alone at `path`, with a title page; returns its page count."""
    front = render(tab, title_sheet(chapter.title, info.title, info.edition, info.licence))
    numbers = render(tab, number_sheets(1 + chapter.pages))
    writer = assemble(front, [chapter], numbers, parts=False,
                      title=f"{chapter.title} ({info.title})")
    return _write(writer, path)


def _write(writer, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    writer.compress_identical_objects()
    with path.open("wb") as out:
        writer.write(out)
    return len(writer.pages)


def build(book: Path, site: Path, out: Path) -> dict[Path, int]:
    """Print the book whose sources are in `book` (`_toc.yml`, `_config.yml`) from its built
    `site` into `out`; returns the page count of each file written."""
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"{site}: no built book there; run `make book` first")
    pages = toc_pages(book)
    counts: dict[Path, int] = {}
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(),
                                             args=LAUNCH_ARGS)
        tab = browser.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
        info = book_info(book, tab, base)
        chapters = [print_page(tab, f"{base}/{page.name}.html", page) for page in pages]
        if out.exists():
            shutil.rmtree(out)
        counts[out / "book.pdf"] = write_book(chapters, info, tab, out / "book.pdf")
        for chapter in chapters:
            if chapter.toc.name.startswith(LAB_PREFIX):
                path = out / f"{chapter.toc.name}.pdf"
                counts[path] = write_lab(chapter, info, tab, path)
        browser.close()
    return counts


def publish(out: Path, site: Path) -> None:
    """Copy the PDFs in `out` into the built site, as `site/pdf/` (what its links point at)."""
    target = site / SITE_DIR
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(out, target)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--book", type=Path, default=ROOT,
                        help="the book's folder, built into BOOK/_build/html (default: .)")
    parser.add_argument("--out", type=Path, default=None,
                        help="where the PDFs go (default: _build/pdf under the repository, "
                             "or BOOK/pdf for another book)")
    args = parser.parse_args(argv)
    book = args.book.resolve()
    site = book / "_build" / "html"
    out = (args.out or (ROOT / "_build" / "pdf" if book == ROOT else book / "pdf")).resolve()
    for path, pages in build(book, site, out).items():
        print(f"{os.path.relpath(path)}: {pages} pages, {path.stat().st_size / 1e6:.1f} MB")
    publish(out, site)


if __name__ == "__main__":
    main()
