"""tools/report.py: the class report says what a class's grades say, opens offline, and is
accessible (axe-core finds nothing, every figure is sharp and has alt text)."""

import re

import pytest

from tests.support.browser import new_page
from tools import report
from tools.grade import Graded
from tools.results import Results

LABELS = ["lab3-softmax", "lab3-keras-model", "lab8-backward"]
WRONG = "✗ check 2/6 (sums to one): expected [0.0900 0.2447 0.6652], got [2.718 7.389 20.09]"
NONE = "✗ check 1/6 (an array): expected [0.0900 0.2447 0.6652], got None"
UNDEFINED = "✗ digits_model is not defined: run the cell that defines it, keep its name"


def graded(name, softmax, keras, message=None):
    """A Lab 3 submission's Graded: its two scores and the checkers' messages."""
    return Graded(
        name,
        "0" * 64,
        scores={"lab3-softmax": softmax, "lab3-keras-model": keras},
        messages={
            "lab3-softmax": ["✓ my_softmax: all 6 checks passed"] if softmax else [message],
            "lab3-keras-model": ["✓ digits_model: all 3 checks passed"] if keras else [UNDEFINED],
        },
    )


CLASS = [
    graded("ada.ipynb", 1, 1),
    graded("ben.ipynb", 0, 0, WRONG),
    graded("cy.ipynb", 0, 1, WRONG.replace("2.718 7.389 20.09", "1 1 1")),
    graded("dee.ipynb", 0, 0, NONE),
    graded("eve.ipynb", 1, 0),
    Graded("=fred.ipynb", "1" * 64, notes=["not valid JSON (line 1, column 2)"]),
    Graded("gil.ipynb", "2" * 64, scores={"lab8-backward": 1}, messages={"lab8-backward": ["✓"]}),
]


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """An OUT folder of the class above, graded, with its report written."""
    out = tmp_path_factory.mktemp("out")
    with Results(out, LABELS) as results:
        for g in CLASS:
            results.add(g, f"{g.name.strip('=')}.md")
    report.write_report(out)
    return out


def test_messages_are_grouped_by_their_text():
    assert report.normalised(WRONG) == "✗ check 2/6 (sums to one): expected #, got ..."
    assert report.normalised(NONE) == "✗ check 1/6 (an array): expected #, got ..."
    assert report.normalised("✗ f must be a function, got 3; see 2.5e-3") == (
        "✗ f must be a function, got ...; see #"
    )


def test_the_page_says_what_the_grades_say(out):
    labels, rows = report.read_rows(out)
    assert labels == LABELS and [r.name for r in rows][0] == "ada.ipynb"
    assert report.pass_rates(labels, rows) == [
        ("lab3-softmax", 2, 5),
        ("lab3-keras-model", 2, 5),
        ("lab8-backward", 1, 1),
    ]
    mistakes = report.common_mistakes(rows)
    assert [(m[0], m[1], m[2]) for m in mistakes] == [
        ("lab3-keras-model", UNDEFINED, 3),
        ("lab3-softmax", "✗ check 2/6 (sums to one): expected #, got ...", 2),
        ("lab3-softmax", "✗ check 1/6 (an array): expected #, got ...", 1),
    ]
    assert mistakes[1][3] == WRONG and mistakes[1][4].name == "ben.ipynb"
    assert [r.name for r in report.lowest(rows, 3)] == ["'=fred.ipynb", "ben.ipynb", "dee.ipynb"]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<title>Class report: 7 submissions</title>" in page
    assert page.count('<a href="feedback/') == 2 * len(CLASS) + 3  # tables: all, lowest, mistakes
    assert 'href="feedback/ben.ipynb.md"' in page and "not valid JSON" in page
    assert "Bar chart of the pass rate of each exercise: lab3-softmax 40% of 5;" in page
    assert "Histogram of the totals: 3 submissions with 0; 3 submissions with 1; " in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing to fetch


@pytest.fixture
def page(out):
    """The report in a headless Chromium that lets no request through but file:// ones."""
    with new_page() as tab:
        tab.requests = []

        def local_only(route):
            tab.requests.append(route.request.url)
            if route.request.url.startswith("file://"):
                return route.continue_()
            return route.abort()

        tab.route("**/*", local_only)
        tab.goto((out / "report.html").as_uri())
        yield tab


def test_the_page_in_a_browser(page, out):
    """Offline, accessible, figures sharp and described (a few seconds: one page)."""
    from axe_playwright_python.sync_playwright import Axe  # only this test needs axe-core

    assert page.requests == [(out / "report.html").as_uri()]
    violations = Axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]
    assert [v["id"] for v in violations] == []
    images = page.eval_on_selector_all(
        "img", "imgs => imgs.map(i => [i.alt, i.naturalWidth, i.clientWidth, i.complete])"
    )
    assert len(images) == 2
    for alt, natural, shown, complete in images:
        assert complete and alt and natural >= 1.9 * shown > 0, (alt, natural, shown)
    assert page.locator("h1").inner_text() == "Class report"
    assert page.locator("h2").all_inner_texts()[:3] == [
        "Pass rate per exercise",
        "Totals",
        "Most common mistakes",
    ]
