"""The built book as a student sees it: every page opened in headless Chromium, at 1280 px
(light, then dark) and at 390 px (a phone).

The book is the session's one build (`book_build` in tests/conftest.py, shared with
tests/book/test_book.py across pytest-xdist workers), served on 127.0.0.1, and every page listed
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

Readable on every screen, and accessible (with every solution opened, as a student may; the
page is then narrowed to 390 px rather than loaded again):

- at 1280 px the text column is at least `utils.figure_output.COLUMN_PX` wide; no code box or
  output box scrolls sideways and no display equation is wider than its column;
- at 390 px the page does not scroll sideways as a whole (a code box may scroll inside);
- a PNG figure has at least 2 image px per CSS px where it is shown, and its smallest text
  (the PNG text chunk `utils.figure_output` writes) is at least 11 CSS px tall there; it
  keeps its proportions;
- every image has alt text, and it is not a file path;
- axe-core (the copy bundled with axe-playwright-python) finds no violation in light or dark
  mode, except the minor ones of the theme listed in ALLOWED_AXE with the reason.

Every page passes every check, the labs included (code, output and equation width, figure
density and text size, alt text). Search results show readable text (no TeX source, no page
furniture). Screenshots (`<page>-1280.png` the whole page, `-1280-dark.png` the first figure,
`-390.png` the whole page at 390 px), what each check found (`<page>.json`) and every page's
counts (`summary.json`) go to `_build/screenshots/`. Without Chromium the module is skipped
with how to install it.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from PIL import Image

from tests.support import ROOT
from tests.support.book import toc_files
from tests.support.browser import CHROMIUM, INSTALL_HINT, LAUNCH_ARGS
from utils.figure_output import COLUMN_PX, MIN_TEXT_PX, SMALLEST_TEXT_KEY

SCREENSHOTS = ROOT / "_build" / "screenshots"
TIMEOUT_MS = 30_000
MAX_SHOT_HEIGHT = 16_000  # px: a whole-page screenshot stops at this height
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}
MIN_DENSITY = 2.0  # image px per CSS px of a PNG figure where it is shown

# Lab content measured on today's labs, which a later rewrite replaces (code within 79
# columns, figures by utils.plots at its style, alt text in the notebooks): per page, how
# many of each offender there are now. The rewrite must empty this table; a page may never
# have more offenders than its entry, and an entry must go down when a page improves.
# Site-level checks (axe, search, page scroll at 390 px, pages that are not labs) have none.
LAB_CHECKS = (
    "code boxes that scroll",
    "output boxes that scroll",
    "equations wider than the column",
    "figures under 2 image px per CSS px",
    "figures with text under 11 CSS px",
    "images whose alt text is missing or a path",
)

# axe-core rules that may report on a page, with why. Only minor ones that come from the
# theme belong here; a critical or serious violation always fails.
ALLOWED_AXE: dict[str, str] = {}
# Rules whose outcome depends on colour: the only ones run again in dark mode.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


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


@pytest.fixture(scope="module")
def summary():
    """Every page's lab-content counts and axe findings, written to summary.json at the end."""
    found: dict[str, dict] = {}
    yield found
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "summary.json").write_text(json.dumps(found, indent=1), encoding="utf-8")


class Visit:
    """A page opened in the browser, with everything it asked for and complained about."""

    def __init__(self, context, base: str, path: str, viewport: dict = WIDE):
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = page = context.new_page()
        page.set_viewport_size(viewport)
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

# The theme's switch: colours then change over 0.15 s transitions; wait for them to end.
SET_THEME = """async (mode) => {
  document.documentElement.dataset.theme = mode;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const ends = document.getAnimations().filter(a => a instanceof CSSTransition)
                                        .map(a => a.finished.catch(() => null));
  await Promise.race([Promise.all(ends), new Promise(r => setTimeout(r, 3000))]);
}"""

DARK_FIGURES = """() => Array.from(document.querySelectorAll("article.bd-article img")).map(img => {
  const style = getComputedStyle(img);
  return {src: img.getAttribute("src"), filter: style.filter, background: style.backgroundColor};
})"""

OPEN_SOLUTIONS = """() => {
  const closed = document.querySelectorAll("div.solution.toggle-hidden .toggle-button");
  closed.forEach(button => button.click());
  return closed.length;
}"""

LAYOUT = """() => {
  const article = document.querySelector("article.bd-article");
  const style = getComputedStyle(article);
  const column = article.clientWidth - parseFloat(style.paddingLeft)
                 - parseFloat(style.paddingRight);
  const shown = e => e.getClientRects().length > 0;
  const scrolls = e => e.scrollWidth > e.clientWidth + 1;
  const first = e => e.textContent.trim().split("\\n")[0].slice(0, 70);
  const pres = Array.from(article.querySelectorAll("pre")).filter(shown);
  const code = pres.filter(p => !p.closest(".cell_output"));
  const output = pres.filter(p => p.closest(".cell_output"));
  const equations = Array.from(article.querySelectorAll("mjx-container[display='true']"))
    .filter(shown);
  const wide = [];
  equations.forEach((m, i) => {
    const math = m.querySelector("mjx-math");
    const width = math ? math.getBoundingClientRect().width : 0;
    if (width > m.clientWidth + 1) wide.push(`equation ${i + 1}: ${Math.round(width)} px`);
  });
  return {column, code: code.length, code_scrolling: code.filter(scrolls).map(first),
          output: output.length, output_scrolling: output.filter(scrolls).map(first),
          equations: equations.length, wide_equations: wide};
}"""

FIGURES = """() => Array.from(document.querySelectorAll("article.bd-article img"))
  .filter(img => img.getClientRects().length > 0)
  .map(img => ({src: img.getAttribute("src"), alt: img.getAttribute("alt"),
                natural: img.naturalWidth, natural_height: img.naturalHeight,
                shown: img.getBoundingClientRect().width,
                shown_height: img.getBoundingClientRect().height}))"""

PAGE_SCROLL = """() => {
  const root = document.scrollingElement;
  const width = root.clientWidth;
  const sticking = [];
  if (root.scrollWidth > width + 1) {
    for (const e of document.body.querySelectorAll("*")) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 1) continue;
      let inside = false;  // in a box of the window that scrolls or clips it
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== "visible"
            && a.getBoundingClientRect().right <= width + 1) { inside = true; break; }
      }
      if (!inside) sticking.push(`${e.tagName.toLowerCase()}.${e.classList[0] || ""}`
                                 + ` to ${Math.round(r.right)} px`);
    }
  }
  return {scroll_width: root.scrollWidth, width, sticking: sticking.slice(0, 5)};
}"""

# One text element per look: axe's colour-contrast verdict depends on the text's colour,
# size, weight and shadow, on its parent's colour (links in text) and on the backgrounds
# behind it up to the first opaque one. axe checks the first element of each look instead
# of all of them, a fifth of the time on a lab page (test_the_checks_can_fail plants a
# low-contrast paragraph and expects it reported).
COLOUR_CHECK = """async (rules) => {
  const opaque = c => /^rgb\\(/.test(c) || /^rgba\\(.*,\\s*1\\)$/.test(c);
  const seen = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const e = t.parentElement;
    if (!t.data.trim() || !e || !e.getClientRects().length) continue;
    const s = getComputedStyle(e);
    const look = [s.color, s.fontSize, s.fontWeight, s.textShadow,
                  e.parentElement ? getComputedStyle(e.parentElement).color : ""];
    for (let a = e; a; a = a.parentElement) {
      const b = getComputedStyle(a);
      look.push(b.backgroundColor, b.backgroundImage, b.opacity, b.filter, b.mixBlendMode);
      if (b.backgroundImage !== "none" || opaque(b.backgroundColor)) break;
    }
    const key = look.join("|");
    if (!seen.has(key)) seen.set(key, e);
  }
  const include = Array.from(seen.values());
  if (!include.length) return [];
  const result = await axe.run({include}, {runOnly: {type: "rule", values: rules},
                                           resultTypes: ["violations"]});
  return result.violations;
}"""


def axe_findings(page, colours_only: bool = False) -> list[dict]:
    """axe-core's violations on the page as it is now: every rule (colour rules on one text
    element per look, see COLOUR_CHECK), or the colour rules only."""
    from axe_playwright_python.sync_playwright import Axe

    violations = []
    if not colours_only:
        # No CSSOM preload: axe fetches @import-ed style sheets relative to the page instead of
        # the importing sheet (a 404 for the theme's `@import "../basic.css"`). Only the rule
        # css-orientation-lock needs it, and the site locks no orientation.
        options = {"resultTypes": ["violations"], "preload": False,
                   "rules": {rule: {"enabled": False} for rule in COLOUR_RULES}}
        violations += Axe().run(page, options=options).response["violations"]
    elif not page.evaluate("typeof axe !== 'undefined'"):
        from axe_playwright_python.base import AXE_SCRIPT

        page.evaluate(AXE_SCRIPT)
    violations += page.evaluate(COLOUR_CHECK, COLOUR_RULES)
    return [
        {"rule": v["id"], "impact": v["impact"],
         "where": [", ".join(map(str, n["target"])) for n in v["nodes"]][:3],
         "nodes": len(v["nodes"])}
        for v in violations
    ]


def axe_problems(findings: list[dict], mode: str) -> list[str]:
    return [
        f"axe ({mode}): {f['rule']} ({f['impact']}) on {f['nodes']} element(s): {f['where']}"
        for f in findings
        if f["impact"] in ("critical", "serious") or f["rule"] not in ALLOWED_AXE
    ]


def figure_findings(site: Path, page_url: str, images: list[dict]) -> dict[str, list[str]]:
    """Figures under 2 image px per CSS px, with text under 11 CSS px where shown (read from
    the PNG's text chunk), and images without a proper alt text."""
    found: dict[str, list[str]] = {"density": [], "text": [], "alt": [], "distorted": [],
                                   "measured": []}
    for img in images:
        src, alt = img["src"], (img["alt"] or "").strip()
        name = src.rsplit("/", 1)[-1][:16]
        if not alt or re.search(r"(^|/)[\w.-]+\.(png|jpe?g|svg|gif)$", alt, re.IGNORECASE):
            found["alt"].append(f"{name}: alt {alt!r}")
        if not src.lower().endswith(".png") or not img["natural"] or not img["shown"]:
            continue  # SVG is sharp at any size
        density = img["natural"] / img["shown"]
        if abs(img["shown_height"] * density - img["natural_height"]) > density + 1:
            found["distorted"].append(f"{name}: shown {img['shown']:.0f} x "
                                      f"{img['shown_height']:.0f} px")
        path = site / urlsplit(urljoin(page_url, src)).path.lstrip("/")
        smallest = Image.open(path).text.get(SMALLEST_TEXT_KEY)
        text = float(smallest) * img["shown"] / img["natural"] if smallest else None
        found["measured"].append(
            f"{name}: {density:.2f} px per CSS px, smallest text "
            + (f"{text:.1f} CSS px" if text else "not recorded")
        )
        if density < MIN_DENSITY:
            found["density"].append(f"{name}: {density:.2f} image px per CSS px")
        if text is None or text < MIN_TEXT_PX:
            found["text"].append(
                f"{name}: " + (f"text {text:.1f} CSS px" if text else "no text size recorded")
            )
    return found


def lab_content_problems(counts: dict[str, int]) -> list[str]:
    """One problem per content check that found offenders on the page."""
    return [f"{counts[check]} {check}" for check in LAB_CHECKS if counts[check]]


def screenshot(page, path: Path, full: bool) -> None:
    if full:
        width = page.viewport_size["width"]
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_SHOT_HEIGHT)
        page.screenshot(path=str(path), full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": height})
    else:
        page.screenshot(path=str(path))


@pytest.mark.parametrize("source", SOURCES, ids=PAGES)
def test_page_in_browser(browser, server, site, summary, source: Path) -> None:
    page_name = source.relative_to(ROOT).with_suffix("").as_posix()
    visit = Visit(browser, server, html_name(page_name))
    page = visit.page
    problems: list[str] = []
    found: dict = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / page_name.replace("/", "__")
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

        screenshot(page, shot.with_name(shot.name + "-1280.png"), full=True)

        # Everything below is measured with the solutions open, as a student may read them
        # (and after the theme's tab stops for boxes that now scroll, 300 ms after a change).
        if page.evaluate(OPEN_SOLUTIONS):
            page.wait_for_timeout(500)
        layout = page.evaluate(LAYOUT)
        figures = figure_findings(site, page.url, page.evaluate(FIGURES))
        counts = {
            "code boxes that scroll": len(layout["code_scrolling"]),
            "output boxes that scroll": len(layout["output_scrolling"]),
            "equations wider than the column": len(layout["wide_equations"]),
            "figures under 2 image px per CSS px": len(figures["density"]),
            "figures with text under 11 CSS px": len(figures["text"]),
            "images whose alt text is missing or a path": len(figures["alt"]),
        }
        found["column_px"] = layout["column"]
        found["boxes"] = {"code": layout["code"], "code scrolling": layout["code_scrolling"],
                          "output": layout["output"],
                          "output scrolling": layout["output_scrolling"]}
        found["equations"] = {"display": layout["equations"], "wide": layout["wide_equations"]}
        found["figures"] = figures
        found["counts"] = counts
        if layout["column"] < COLUMN_PX:
            problems.append(f"the text column is {layout['column']} px at 1280 px, not "
                            f"{COLUMN_PX} (utils.figure_output.COLUMN_PX)")
        problems += lab_content_problems(counts)
        if figures["distorted"]:
            problems.append(f"figures not in their proportions: {figures['distorted']}")

        light = axe_findings(page)
        page.evaluate(SET_THEME, "dark")
        figures_dark = page.evaluate(DARK_FIGURES)
        dark = axe_findings(page, colours_only=True)
        found["axe"] = {"light": light, "dark": dark}
        problems += axe_problems(light, "light") + axe_problems(dark, "dark")

        white = {"rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"}
        dimmed = [f for f in figures_dark if f["filter"] != "none" or f["background"] not in white]
        found["dark_mode_figures"] = (
            f"{len(figures_dark) - len(dimmed)} of {len(figures_dark)} unfiltered"
        )
        if dimmed:
            problems.append(f"figures dimmed or on a grey card in dark mode: {dimmed[:3]}")
        first_figure = page.locator("article.bd-article img")
        if first_figure.count():
            first_figure.first.scroll_into_view_if_needed()
        screenshot(page, shot.with_name(shot.name + "-1280-dark.png"), full=False)

        # The same page at a phone's width, light again: the theme lays out narrow windows
        # with CSS alone, so resizing shows what a fresh load at 390 px does.
        page.evaluate(SET_THEME, "light")
        page.set_viewport_size(NARROW)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        scroll = page.evaluate(PAGE_SCROLL)
        found["page_at_390"] = scroll
        if scroll["scroll_width"] > scroll["width"] + 1:
            problems.append(
                f"at 390 px the page scrolls sideways ({scroll['scroll_width']} px wide): "
                f"{scroll['sticking']}"
            )
        screenshot(page, shot.with_name(shot.name + "-390.png"), full=True)

        outside = visit.outside()
        if outside:
            problems.append(f"requests that left 127.0.0.1: {sorted(set(outside))}")
        problems += visit.errors
        found["requests"] = f"{len(visit.requests)}, {len(outside)} outside 127.0.0.1"
        found["console_errors"] = len(visit.errors)
        found["problems"] = problems
        summary[page_name] = {"counts": counts, "boxes": found["boxes"],
                              "equations": found["equations"],
                              "axe": {mode: [f"{f['rule']} ({f['impact']})" for f in fs]
                                      for mode, fs in found["axe"].items()},
                              "page_at_390": scroll["scroll_width"]}
        shot.with_name(shot.name + ".json").write_text(json.dumps(found, indent=1),
                                                        encoding="utf-8")
    finally:
        page.close()
    assert not problems, f"{page_name}: counts {found.get('counts')}\n  " + "\n  ".join(problems)


SEARCHES = ("softmax", "activation", "gradient")
SEARCH_SUMMARIES = """async () => {
  for (let i = 0; i < 300; i++) {
    if (/finished|did not match/i.test(
          document.querySelector("#search-results")?.innerText || "")) break;
    await new Promise(r => setTimeout(r, 50));
  }
  return {status: document.querySelector("#search-results")?.innerText.split("\\n")[0],
          results: document.querySelectorAll("#search-results ul.search li").length,
          summaries: Array.from(document.querySelectorAll("#search-results p.context"))
                          .map(p => p.textContent)};
}"""
# TeX source, or the page header's download buttons (".ipynb .pdf"), in a summary.
UNREADABLE = re.compile(r"\\[A-Za-z()\[\]]|\$\$|\.(ipynb|pdf)\b")


@pytest.mark.parametrize("query", SEARCHES)
def test_search_results_are_readable(browser, server, query: str) -> None:
    visit = Visit(browser, server, f"search.html?q={query}")
    page = visit.page
    try:
        found = page.evaluate(SEARCH_SUMMARIES)
        page.screenshot(path=str(SCREENSHOTS / f"search-{query}.png"))
        findings = axe_findings(page) if query == SEARCHES[0] else []
    finally:
        page.close()
    assert found["results"] > 0, f"searching for {query!r} found no page: {found['status']}"
    assert found["summaries"], f"no result of {query!r} has a summary"
    unreadable = [s for s in found["summaries"] if UNREADABLE.search(s) or not s.strip()]
    assert not unreadable, f"summaries with TeX source or page furniture: {unreadable[:3]}"
    assert not axe_problems(findings, "light"), axe_problems(findings, "light")
    assert not visit.outside(), f"requests that left 127.0.0.1: {visit.outside()}"
    assert not visit.errors, "\n".join(visit.errors)


def utils_names_used(notebook: Path) -> set[str]:
    """`utils.module.name` for every name a notebook imports from, or reads off, a utils module
    (a name only shown with `show_source` is not used)."""
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
    shown = {  # show_source(module.name) displays the code, private kernels too: not a use
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "show_source"
        for arg in node.args
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in modules and id(node) not in shown:
                used.add(f"{modules[node.value.id]}.{node.attr}")
    return {name for name in used if name.split(".")[1] != "lab" or name == "utils.lab.setup"}


PLANT = """() => {
  const article = document.querySelector("article.bd-article");
  article.insertAdjacentHTML("beforeend", `
    <div class="highlight"><pre>planted code ${"x".repeat(150)}</pre></div>
    <p id="planted-grey" style="color: #c8c8c8">planted grey text</p>
    <img src="${document.querySelector("article.bd-article img").src}" alt="_images/a.png">
    <div style="width: 600px">planted block, 600 px wide</div>`);
}"""


def test_the_checks_can_fail(browser, server, site) -> None:
    """Offenders planted in a page are reported: a code box that scrolls, an alt text that is
    a path, low-contrast text (through COLOUR_CHECK's sampling) and, at 390 px, a block that
    makes the page scroll sideways."""
    visit = Visit(browser, server, html_name(PAGES[0]))
    page = visit.page
    try:
        page.evaluate(PLANT)
        layout = page.evaluate(LAYOUT)
        figures = figure_findings(site, page.url, page.evaluate(FIGURES))
        colours = axe_findings(page, colours_only=True)
        page.set_viewport_size(NARROW)
        scroll = page.evaluate(PAGE_SCROLL)
    finally:
        page.close()
    assert [c for c in layout["code_scrolling"] if c.startswith("planted code")]
    assert [a for a in figures["alt"] if "_images/a.png" in a]
    assert [f for f in colours if f["rule"] == "color-contrast" and "#planted-grey" in f["where"]]
    assert scroll["scroll_width"] >= 600 and scroll["sticking"], scroll


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
