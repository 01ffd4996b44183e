"""The built book as a student sees it: every page opened in headless Chromium.

The book is the session's one build (`book_build` in tests/conftest.py, shared with
tests/test_book.py across pytest-xdist workers), served on 127.0.0.1, and every page listed
in `_toc.yml` is opened with Playwright driving the system Chromium (nothing is
downloaded). For each page:

- no console error, no uncaught exception, no failed or 4xx/5xx request;
- no request leaves 127.0.0.1 (MathJax, fonts, scripts and styles come from the site);
- MathJax has typeset the page: no raw `$$`, `\\(`, `\\[` left in the text, no TeX error;
- every image has loaded (naturalWidth > 0);
- each exercise is an exercise block, each written solution is a collapsed dropdown, each
  solution code cell (tagged `solution`) has its code and output collapsed, no "all checks
  passed" line is visible, and the checker's "not yet" message (a line starting with ✗) is
  visible under the exercises;
- the download button is there and its source file (.ipynb or .md) downloads;
- in dark mode the figures are shown unfiltered on white.

The search page finds "softmax". Screenshots (light: the whole page, at most 16000 px;
dark: the first figure) and what each check found (`<page>.json`) go to `_build/screenshots/`.
Without Chromium the module is skipped with how to install it.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from test_book import toc_files

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "_build" / "screenshots"
INSTALL_HINT = (
    "Chromium is needed for the browser test of the book: install it with "
    "`sudo apt-get install -y --no-install-recommends chromium` (Debian/Ubuntu; `.ci/run` "
    "does this), or set CHROMIUM=/path/to/chromium"
)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000
MAX_SHOT_HEIGHT = 16_000  # px: the light screenshot is the whole page, up to this height


def chromium_path() -> str | None:
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"] if Path(os.environ["CHROMIUM"]).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = chromium_path()


def source_of(entry: str) -> Path:
    path = ROOT / entry
    if path.suffix in {".md", ".ipynb"}:
        return path
    return next(
        (p for p in (path.with_name(path.name + ext) for ext in (".md", ".ipynb")) if p.exists()),
        path.with_name(path.name + ".md"),
    )


TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
SOURCES = [source_of(entry) for entry in toc_files(TOC)]
PAGES = [s.relative_to(ROOT).with_suffix("").as_posix() for s in SOURCES]


def markdown_text(source: Path) -> str:
    """The markdown a page is written in (a notebook's markdown cells, joined)."""
    if source.suffix == ".ipynb":
        cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return source.read_text(encoding="utf-8")


def solution_code_cells(source: Path) -> int:
    """Code cells tagged `solution` (the reference answer under each exercise)."""
    if source.suffix != ".ipynb":
        return 0
    cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
    return sum(
        1
        for c in cells
        if c["cell_type"] == "code" and "solution" in c.get("metadata", {}).get("tags", [])
    )


def count_directive(text: str, *names: str) -> int:
    pattern = r"^\s*(```+|:::+)\{(" + "|".join(map(re.escape, names)) + r")\}"
    return len(re.findall(pattern, text, flags=re.MULTILINE))


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def site(book_build) -> Path:
    """The book, built once per session with the same flags as `make book`."""
    return book_build.html


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="module")
def server(site: Path):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip(INSTALL_HINT)
    sync_api = pytest.importorskip("playwright.sync_api")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=LAUNCH_ARGS,
            viewport={"width": 1280, "height": 900},
            color_scheme="light",
        )
        yield context
        context.close()


class Visit:
    """A page opened in the browser, with everything it asked for and complained about."""

    def __init__(self, context, base: str, path: str):
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(f"uncaught exception: {e}"))
        page.on(
            "console",
            lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else 0,
        )
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        # Nothing may leave the machine: record, then refuse, any outside request.
        page.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
        page.goto(f"{base}/{path}", wait_until="load")

    def _failed(self, request) -> None:
        if self.is_local(request.url):
            self.errors.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def is_local(self, url: str) -> bool:
        return url.startswith(self.base + "/") or urlsplit(url).scheme in {"data", "blob", "about"}

    def outside(self) -> list[str]:
        return [u for u in self.requests if not self.is_local(u)]


def html_name(page: str) -> str:
    return page + ".html"


# ---------------------------------------------------------------------------- the checks

WAIT_FOR_MATHJAX = """async () => {
  const wanted = document.querySelector('script[src*="mathjax"]') !== null;
  if (!wanted) return "no math on this page";
  const ready = () => window.MathJax && MathJax.startup && MathJax.startup.promise;
  for (let i = 0; i < 200 && !ready(); i++) await new Promise(r => setTimeout(r, 50));
  if (!ready()) return "MathJax did not load";
  await MathJax.startup.promise;
  return "typeset";
}"""

RAW_TEX = """() => {
  const article = document.querySelector("article") || document.body;
  const copy = article.cloneNode(true);
  copy.querySelectorAll("pre, code, script, style, mjx-container, .cell_output")
      .forEach(e => e.remove());
  const text = copy.textContent;
  const raw = [];
  for (const token of ["$$", "\\\\(", "\\\\)", "\\\\[", "\\\\]", "\\\\begin{", "\\\\frac"]) {
    const i = text.indexOf(token);
    if (i >= 0) raw.push(text.slice(Math.max(0, i - 40), i + 40).replace(/\\s+/g, " "));
  }
  return {raw, typeset: document.querySelectorAll("mjx-container").length,
          errors: document.querySelectorAll("mjx-merror").length};
}"""

IMAGES = """async () => {
  const images = Array.from(document.images);
  images.forEach(img => { img.loading = "eager"; });
  await Promise.all(images.map(img => img.complete ? null : new Promise(r => {
    img.addEventListener("load", r); img.addEventListener("error", r); setTimeout(r, 10000);
  })));
  return images.map(img => ({src: img.getAttribute("src"), width: img.naturalWidth}));
}"""

SOLUTIONS = """() => Array.from(document.querySelectorAll("div.solution")).map(sol => {
  const body = Array.from(sol.children).filter(c => !c.matches(".admonition-title, button"));
  const shown = body.filter(c => c.getClientRects().length > 0
                                 && getComputedStyle(c).visibility !== "hidden");
  return {id: sol.id, parts: body.length, shown: shown.length};
})"""

SOLUTION_CODE = """() => {
  // inside a closed <details> nothing is rendered (Chromium keeps layout boxes for it)
  const shown = el => !el.closest("details:not([open])") && el.getClientRects().length > 0
                      && getComputedStyle(el).visibility !== "hidden";
  const cells = Array.from(document.querySelectorAll("div.cell.tag_solution"));
  return {
    cells: cells.length,
    open: cells.filter(c => Array.from(c.querySelectorAll(".cell_input pre, .cell_output"))
                                 .some(shown)).length,
    passed: Array.from(document.querySelectorAll(".cell_output"))
                 .filter(o => shown(o) && /all \\d+ checks passed/.test(o.innerText)).length,
  };
}"""

NOT_YET_MESSAGES = """() => Array.from(document.querySelectorAll(".cell_output"))
  .filter(o => !o.closest("div.solution") && o.getClientRects().length > 0)
  .filter(o => /^\\s*✗/m.test(o.innerText)).length"""

DARK_FIGURES = """() => {
  document.documentElement.setAttribute("data-theme", "dark");
  return Array.from(document.querySelectorAll("article.bd-article img")).map(img => {
    const style = getComputedStyle(img);
    return {src: img.getAttribute("src"), filter: style.filter, background: style.backgroundColor};
  });
}"""


@pytest.mark.parametrize("source", SOURCES, ids=PAGES)
def test_page_in_browser(browser, server, source: Path) -> None:
    page_name = source.relative_to(ROOT).with_suffix("").as_posix()
    visit = Visit(browser, server, html_name(page_name))
    page = visit.page
    problems: list[str] = []
    found: dict = {}
    try:
        mathjax = page.evaluate(WAIT_FOR_MATHJAX)
        if mathjax == "MathJax did not load":
            problems.append("MathJax did not load")
        tex = page.evaluate(RAW_TEX)
        found["mathjax"] = f"{mathjax}: {tex['typeset']} formulas"
        if tex["raw"]:
            problems.append(f"raw TeX left in the page text: {tex['raw']}")
        if tex["errors"]:
            problems.append(f"{tex['errors']} TeX errors (mjx-merror)")
        if "$" in markdown_text(source) and mathjax == "typeset" and not tex["typeset"]:
            problems.append("the page has math but MathJax typeset nothing")

        images = page.evaluate(IMAGES)
        broken = [img["src"] for img in images if not img["width"]]
        found["images"] = f"{len(images) - len(broken)} of {len(images)} loaded"
        if broken:
            problems.append(f"images that did not load: {broken}")

        text = markdown_text(source)
        n_exercises = count_directive(text, "exercise", "exercise-start")
        n_solutions = count_directive(text, "solution", "solution-start")
        n_blocks = page.locator("div.exercise").count()
        if n_blocks != n_exercises:
            problems.append(f"{n_exercises} exercises in the source, {n_blocks} exercise blocks")
        solutions = page.evaluate(SOLUTIONS)
        found["exercises"] = f"{n_blocks} blocks, {len(solutions)} solutions"
        found["solutions_collapsed"] = sum(1 for s in solutions if s["parts"] and not s["shown"])
        if len(solutions) != n_solutions:
            problems.append(f"{n_solutions} solutions in the source, {len(solutions)} on the page")
        open_ = [s["id"] for s in solutions if s["shown"] or not s["parts"]]
        if open_:
            problems.append(f"solutions not collapsed: {open_}")
        code = page.evaluate(SOLUTION_CODE)
        n_code = solution_code_cells(source)
        found["solution_code_cells_collapsed"] = code["cells"] - code["open"]
        if code["cells"] != n_code:
            problems.append(
                f"{n_code} solution code cells in the source, {code['cells']} on the page"
            )
        if code["open"] or code["passed"]:
            problems.append(
                f"solution code visible: {code['open']} cells open, {code['passed']} visible "
                "'all checks passed' lines (want hide-input and hide-output)"
            )
        if n_exercises:
            not_yet = page.evaluate(NOT_YET_MESSAGES)
            found["checker_messages_shown"] = not_yet
            if not_yet < n_exercises:
                problems.append(
                    f"{n_exercises} exercises but {not_yet} visible checker messages starting "
                    "with ✗ (the stub cell's output a student sees first)"
                )

        download = page.locator(".dropdown-download-buttons a[href*='_sources/']")
        if not download.count():
            problems.append("no download button for the page's source")
        else:
            href = download.first.get_attribute("href")
            found["download"] = href
            want = source.suffix
            if not href.endswith(want):
                problems.append(f"the download button gives {href}, not the {want} source")
            response = page.request.get(urljoin(page.url, href))
            if not response.ok:
                problems.append(f"the download button's {href} answers {response.status}")

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = page_name.replace("/", "__")
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_SHOT_HEIGHT)
        page.screenshot(
            path=str(SCREENSHOTS / f"{shot}.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1280, "height": height},
        )

        figures = page.evaluate(DARK_FIGURES)
        white = {"rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"}
        dimmed = [f for f in figures if f["filter"] != "none" or f["background"] not in white]
        found["dark_mode_figures"] = f"{len(figures) - len(dimmed)} of {len(figures)} unfiltered"
        if dimmed:
            problems.append(f"figures dimmed or on a grey card in dark mode: {dimmed[:3]}")
        first_figure = page.locator("article.bd-article img")
        if first_figure.count():
            first_figure.first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"{shot}-dark.png"))

        outside = visit.outside()
        if outside:
            problems.append(f"requests that left 127.0.0.1: {sorted(set(outside))}")
        problems += visit.errors
        found["requests"] = f"{len(visit.requests)}, {len(outside)} outside 127.0.0.1"
        found["console_errors"] = len(visit.errors)
        found["problems"] = problems
        (SCREENSHOTS / f"{shot}.json").write_text(json.dumps(found, indent=1), encoding="utf-8")
    finally:
        page.close()
    assert not problems, f"{page_name}:\n  " + "\n  ".join(problems)


def test_search_finds_softmax(browser, server) -> None:
    visit = Visit(browser, server, "search.html?q=softmax")
    page = visit.page
    try:
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(state="attached")
        found = results.count()
        page.screenshot(path=str(SCREENSHOTS / "search-softmax.png"))
        assert found > 0, "searching for 'softmax' found no page"
        assert not visit.outside(), f"requests that left 127.0.0.1: {visit.outside()}"
        assert not visit.errors, "\n".join(visit.errors)
    finally:
        page.close()


def utils_names_used(notebook: Path) -> set[str]:
    """`utils.module.name` for every name a notebook imports from, or reads off, a utils module."""
    import ast

    used: set[str] = set()
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))
    tree = ast.parse(code)
    modules: dict[str, str] = {}  # local name -> utils module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "utils":
            for alias in node.names:
                modules[alias.asname or alias.name] = f"utils.{alias.name}"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("utils."):
            used.update(f"{node.module}.{alias.name}" for alias in node.names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in modules:
                used.add(f"{modules[node.value.id]}.{node.attr}")
    return {name for name in used if name.split(".")[1] != "lab" or name == "utils.lab.setup"}


def test_reference_documents_what_the_labs_use(site: Path) -> None:
    """Every utils function or class a lab imports or calls has an entry in the reference."""
    page = site / "appendix" / "utils_reference.html"
    if not page.exists():
        pytest.skip("appendix/utils_reference is not in _toc.yml")
    anchors = set(re.findall(r'id="(utils\.[\w.]+)"', page.read_text(encoding="utf-8")))
    missing = {
        nb.relative_to(ROOT).as_posix(): sorted(utils_names_used(nb) - anchors)
        for nb in SOURCES
        if nb.suffix == ".ipynb"
    }
    missing = {nb: names for nb, names in missing.items() if names}
    assert not missing, f"used by a lab but not in the utils reference: {missing}"
