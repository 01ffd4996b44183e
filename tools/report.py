"""The class report: ``OUT/report.html``, written by :mod:`tools.grade` at the end of every run.

One static page that opens offline (inline CSS, figures as PNG data URIs drawn in the course
style; no script, no request): how many submissions, each exercise's pass rate, a histogram
of the totals, the mistakes the checkers named most often (their ``✗`` messages grouped by
text, with the numbers and the ``got ...`` parts normalised) with a count and an example each,
the lowest totals, and every submission with a relative link to its feedback page.

It is made from ``OUT/grades.csv`` and ``OUT/feedback/`` alone (rows of earlier runs
included), so it is the same page however many workers graded, and in whatever order.
"""

from __future__ import annotations

import base64
import csv
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from utils.figure_output import display_size, render_png
from utils.plots import STYLE

LOWEST = 10  # submissions listed under "Lowest totals"
MISTAKES = 12  # mistakes listed
FIRST_COLUMNS = ("submission", "sha256")
LAST_COLUMNS = ("total", "feedback", "note")
_SECTION = re.compile(r"^## (\S+): not yet$")
_FENCE = re.compile(r"^(`{3,})text$")
_CHECK = re.compile(r"^(✗ check \d+/\d+ \([^)]*\): |✗ )")
_GOT = re.compile(r"\bgot .*?(?=;|$)")
_NUMBERS = re.compile(r"\[[^\[\]]*\d[^\[\]]*\]|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?")
_CSS = """
body { font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff;
       max-width: 60rem; margin: 0 auto; padding: 1rem; line-height: 1.45; }
a { color: #1f4e79; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
th, td { border: 1px solid #8a8a8a; padding: 0.25rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #e8eef5; }
td.number { text-align: right; }
code { font-size: 0.95em; overflow-wrap: anywhere; }
figure { margin: 0.5rem 0 1rem; }
img { max-width: 100%; height: auto; }
"""


@dataclass
class Row:
    """One row of grades.csv: its scores (label -> 0/1, only its lab's exercises), total,
    feedback file name, note, and the checkers' failure messages (label -> lines)."""

    name: str
    scores: dict
    total: int
    feedback: str
    note: str
    mistakes: dict = field(default_factory=dict)


def normalised(message):
    """A checker's ``✗`` message with what differs from student to student replaced: the
    numbers (and arrays) by ``#``, what follows ``got`` by ``...``; ``check i/n (hint)``
    kept."""
    prefix = _CHECK.match(message)
    head = prefix.group(0) if prefix else ""
    rest = _GOT.sub("got ...", message[len(head) :])
    return head + _NUMBERS.sub("#", rest)


def failure_messages(page):
    """{label: [the ``✗`` lines of its section]} of a feedback page's "not yet" sections."""
    found, label, fence = {}, None, None
    for line in page.splitlines():
        if fence is not None:
            if line == fence:
                fence = None
            elif label is not None and line.startswith("✗"):
                found.setdefault(label, []).append(line)
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
        elif line.startswith("## "):
            section = _SECTION.match(line)
            label = section.group(1) if section else None
    return found


def read_rows(out):
    """The rows of ``out/grades.csv`` as :class:`Row` objects, with their feedback pages'
    failure messages (a page that is missing gives none)."""
    out = Path(out)
    with (out / "grades.csv").open(newline="", encoding="utf-8", errors="replace") as f:
        table = list(csv.reader(f))
    header = table[0] if table else []
    if header[:2] != list(FIRST_COLUMNS) or tuple(header[-3:]) != LAST_COLUMNS:
        raise ValueError(f"{out / 'grades.csv'} is not the grader's grades.csv")
    labels = header[2:-3]
    rows = []
    for values in table[1:]:
        if len(values) != len(header):
            continue
        cells = dict(zip(header, values, strict=True))
        page = out / "feedback" / cells["feedback"]
        safe = cells["feedback"] and "/" not in cells["feedback"] and not page.is_symlink()
        text = page.read_text(encoding="utf-8", errors="replace") if safe and page.is_file() else ""
        rows.append(
            Row(
                cells["submission"],
                {label: int(cells[label]) for label in labels if cells[label] in ("0", "1")},
                int(cells["total"]) if cells["total"].isdigit() else 0,
                cells["feedback"],
                cells["note"],
                failure_messages(text),
            )
        )
    return labels, rows


def pass_rates(labels, rows):
    """[(label, passed, attempted)] of every exercise that some submission was graded on."""
    rates = []
    for label in labels:
        scores = [row.scores[label] for row in rows if label in row.scores]
        if scores:
            rates.append((label, sum(scores), len(scores)))
    return rates


def common_mistakes(rows, most=MISTAKES):
    """[(label, normalised message, how many submissions, an example message, its row)], the
    ``most`` most frequent (a submission counts once per message)."""
    counts, examples = Counter(), {}
    for row in rows:
        seen = {(label, normalised(m)): m for label, ms in row.mistakes.items() for m in ms}
        for key, message in seen.items():
            counts[key] += 1
            examples.setdefault(key, (message, row))
    ranked = sorted(counts, key=lambda key: (-counts[key], key))
    return [(*key, counts[key], *examples[key]) for key in ranked[:most]]


def lowest(rows, most=LOWEST):
    """The ``most`` rows of the lowest share of their exercises passed (none graded: 0)."""
    return sorted(rows, key=lambda r: (r.total / len(r.scores) if r.scores else 0, r.name))[:most]


def _image(fig, alt):
    """``fig`` as an ``<img>`` of a PNG data URI (2 image pixels per CSS pixel) with ``alt``."""
    png = render_png(fig)
    width, height = display_size(png)
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" width="{width}" height="{height}" '
        f'alt="{html.escape(alt)}"></figure>'
    )


def rates_figure(rates):
    """A bar chart of each exercise's pass rate (percent), as an ``<img>``."""
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(6, 0.5 + 0.35 * len(rates)))
        ax = fig.add_subplot()
        names = [label for label, _, _ in rates][::-1]
        percent = [100 * passed / n for _, passed, n in rates][::-1]
        ax.barh(names, percent, color="#1f4e79")
        ax.set_xlim(0, 100)
        ax.set_xlabel("submissions that pass (%)")
    alt = "Bar chart of the pass rate of each exercise: " + "; ".join(
        f"{label} {100 * passed / n:.0f}% of {n}" for label, passed, n in rates
    )
    return _image(fig, alt)


def totals_figure(rows):
    """A histogram of the submissions' totals, as an ``<img>``."""
    totals = Counter(row.total for row in rows)
    values = list(range(max(totals, default=0) + 1))
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(6, 3))
        ax = fig.add_subplot()
        ax.bar(values, [totals[v] for v in values], color="#1f4e79")
        ax.set_xticks(values)
        ax.set_xlabel("total (exercises passed)")
        ax.set_ylabel("submissions")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    alt = "Histogram of the totals: " + "; ".join(
        f"{totals[v]} submissions with {v}" for v in values
    )
    return _image(fig, alt)


def _link(row):
    href = "feedback/" + quote(row.feedback)
    return f'<a href="{html.escape(href)}"><code>{html.escape(row.name)}</code></a>'


def _table(caption, header, rows, numbers=()):
    """An HTML table; the columns numbered in ``numbers`` are right-aligned (cells are HTML)."""
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="number">{v}</td>' if k in numbers else f"<td>{v}</td>"
            for k, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _of(row):
    return f"{row.total} of {len(row.scores)}"


def report_html(labels, rows):
    """The class report page of ``rows`` (see the module's docstring), as text."""
    rates = pass_rates(labels, rows)
    graded = sum(1 for row in rows if row.scores)
    parts = [
        "<h1>Class report</h1>",
        f"<p>{len(rows)} submissions, {graded} graded on at least one exercise. Each "
        "submission's feedback page is linked from its name.</p>",
        "<h2>Pass rate per exercise</h2>",
    ]
    if rates:
        parts.append(rates_figure(rates))
        parts.append(
            _table(
                "Pass rate per exercise",
                ("exercise", "passed", "graded", "pass rate"),
                [
                    (f"<code>{html.escape(label)}</code>", passed, n, f"{100 * passed / n:.0f}%")
                    for label, passed, n in rates
                ],
                numbers=(1, 2, 3),
            )
        )
    else:
        parts.append("<p>No exercise was graded.</p>")
    parts += ["<h2>Totals</h2>", totals_figure(rows) if rows else "<p>No submission.</p>"]
    mistakes = common_mistakes(rows)
    parts.append("<h2>Most common mistakes</h2>")
    if mistakes:
        parts.append(
            _table(
                "The checkers' messages, numbers and answers given replaced",
                ("exercise", "mistake", "submissions", "an example"),
                [
                    (
                        f"<code>{html.escape(label)}</code>",
                        f"<code>{html.escape(text)}</code>",
                        count,
                        f"<code>{html.escape(example)}</code> ({_link(row)})",
                    )
                    for label, text, count, example, row in mistakes
                ],
                numbers=(2,),
            )
        )
    else:
        parts.append("<p>No checker named a mistake.</p>")
    parts += [
        "<h2>Lowest totals</h2>",
        _table(
            f"The {min(LOWEST, len(rows))} lowest shares of exercises passed",
            ("submission", "total", "note"),
            [(_link(r), _of(r), html.escape(r.note)) for r in lowest(rows)],
            numbers=(1,),
        ),
        "<h2>Every submission</h2>",
        _table(
            "Every submission, in the order of grades.csv",
            ("submission", "total", "note"),
            [(_link(r), _of(r), html.escape(r.note)) for r in rows],
            numbers=(1,),
        ),
    ]
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Class report: {len(rows)} submissions</title>\n<style>{_CSS}</style>\n"
        f"</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def write_report(out):
    """Write ``out/report.html`` from ``out/grades.csv`` and ``out/feedback/``; return its path."""
    path = Path(out) / "report.html"
    temporary = path.with_name("report.html.partial")
    temporary.unlink(missing_ok=True)
    temporary.write_text(report_html(*read_rows(out)), encoding="utf-8")
    temporary.replace(path)
    return path
