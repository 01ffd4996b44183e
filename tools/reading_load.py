"""How much a lab asks of its reader: words of main text, of optional boxes and of solutions,
"by hand = Keras" agreement lines per section, the longest plotting cell, the widest code and
output lines. `python -m tools.reading_load` prints a table for every lab; the limits the
labs keep are in CONTRIBUTING.md and tests/rules/test_reading_load.py.

Words are the whitespace-separated tokens of the markdown prose that contain a letter or digit,
after removing code blocks, display maths and directive options; an inline formula, inline code
or a role such as {cite:p}`key` counts as one word. Main text is everything a reader meets with
the page open: prose, exercise statements, non-collapsed notes. Optional boxes are directives
shown collapsed (`:class: dropdown`, or the `{dropdown}` directive); solutions are counted apart.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass

from tools.layout import labs

FENCE = re.compile(r"^(\s*)(`{3,}|:{3,})\s*(\{([\w-]+)\})?(.*)$")
OPTION = re.compile(r"^\s*:[\w-]+:")
AGREEMENT = re.compile(r"max \|difference\|")
INLINE = [
    (re.compile(r"\$\$.*?\$\$", re.S), " "),  # display maths on one line, or spanning lines
    (re.compile(r"\{[\w:-]+\}`[^`]*`"), " ROLE "),  # {cite:p}`key`, {ref}`x`
    (re.compile(r"`[^`]+`"), " CODE "),
    (re.compile(r"(?<!\\)\$[^$]+\$"), " MATH "),
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r" \1 "),  # links and images: their text
    (re.compile(r"<[^>]+>"), " "),  # HTML tags
]


@dataclass(frozen=True)
class Load:
    """What one notebook asks of its reader."""

    main_words: int
    optional_words: int
    solution_words: int
    max_agreements_per_section: int
    longest_plot_cell: int
    widest_code_line: int
    widest_output_line: int


def _kind(directive: str | None, options: list[str], parent: str) -> str:
    """The reading kind of a fenced block: main, optional, solution or skip (code, maths)."""
    if directive is None or directive in {"math", "code-block", "code", "raw"}:
        return "skip"
    if parent != "main":
        return parent
    if directive == "solution":
        return "solution"
    if directive == "dropdown" or any(re.match(r"\s*:class:.*\bdropdown\b", o) for o in options):
        return "optional"
    return "main"


def prose_by_kind(markdown: str) -> dict[str, str]:
    """Split a markdown cell's text into main, optional and solution prose (code dropped)."""
    out = {"main": [], "optional": [], "solution": [], "skip": []}
    lines = markdown.splitlines()
    stack: list[tuple[str, int, str]] = []  # (fence char, length, kind)
    i = 0
    while i < len(lines):
        line = lines[i]
        match = FENCE.match(line)
        kind = stack[-1][2] if stack else "main"
        if match and stack and not match.group(3) and not match.group(5).strip():
            char, length = match.group(2)[0], len(match.group(2))
            if char == stack[-1][0] and length >= stack[-1][1]:
                stack.pop()
                i += 1
                continue
        if match and (match.group(3) or kind != "skip"):
            options, j = [], i + 1
            while j < len(lines) and OPTION.match(lines[j]):
                options.append(lines[j])
                j += 1
            new = _kind(match.group(4), options, kind) if match.group(3) else "skip"
            if kind == "skip":
                new = "skip"
            stack.append((match.group(2)[0], len(match.group(2)), new))
            if new != "skip" and match.group(4) != "solution" and match.group(5).strip():
                out[new].append(match.group(5))  # the directive's title (a solution's is a label)
            i = j
            continue
        out[kind].append(line)
        i += 1
    return {k: "\n".join(v) for k, v in out.items() if k != "skip"}


def count_words(prose: str) -> int:
    """Tokens with a letter or digit, formulas, inline code and roles counting one each."""
    for pattern, repl in INLINE:
        prose = pattern.sub(repl, prose)
    return sum(1 for token in prose.split() if re.search(r"[A-Za-z0-9]", token))


def _text(output: dict) -> str:
    if output.get("output_type") == "stream":
        return "".join(output.get("text", ""))
    data = output.get("data", {})
    text = data.get("text/plain", "")
    return "".join(text) if isinstance(text, list) else str(text)


def _has_figure(cell: dict) -> bool:
    return any(
        "image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})
        for o in cell.get("outputs", [])
    )


def _code_lines(source: str) -> int:
    lines = (line.strip() for line in source.splitlines())
    return sum(1 for line in lines if line and not line.startswith("#"))


def measure(notebook: dict) -> Load:
    """The reading load of a parsed notebook (nbformat 4 JSON)."""
    words = {"main": 0, "optional": 0, "solution": 0}
    sections, agreements = [0], 0
    plot_cell = code_width = output_width = 0
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            tags = set(cell.get("metadata", {}).get("tags", []))
            for kind, prose in prose_by_kind(source).items():
                words["solution" if "solution" in tags else kind] += count_words(prose)
            if re.search(r"^#{1,2} ", source, re.M):
                sections.append(agreements)
                agreements = 0
            continue
        if cell["cell_type"] != "code":
            continue
        texts = [_text(o) for o in cell.get("outputs", [])]
        agreements += sum(len(AGREEMENT.findall(t)) for t in texts)
        if _has_figure(cell):
            plot_cell = max(plot_cell, _code_lines(source))
        code_width = max([code_width] + [len(line) for line in source.splitlines()])
        output_width = max(
            [output_width] + [len(line) for t in texts for line in t.splitlines()]
        )
    sections.append(agreements)
    return Load(
        words["main"],
        words["optional"],
        words["solution"],
        max(sections),
        plot_cell,
        code_width,
        output_width,
    )


def main() -> int:
    row = "{:<28} {:>5} {:>8} {:>8} {:>10} {:>9} {:>5} {:>6}".format
    print(row("lab", "main", "optional", "solution", "agree/sect", "plot cell", "code", "output"))
    for path in labs():
        load = measure(json.loads(path.read_text(encoding="utf-8")))
        print(row(path.stem, *vars(load).values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
