"""Draw the course map of the landing page, images/course_map.svg, from _toc.yml.

    .venv/bin/python -m tools.course_map

The parts, their captions and the labs in each, in order, are read from `_toc.yml` (the parts
whose chapters are notebooks in `labs/`); a part whose caption ends in "(optional)" holds
optional labs, drawn dashed. Each lab's box shows its chapter number and its notebook's title
(the first heading, up to a colon). Arrows lead from each lab to the next. A plain SVG written
by hand (no plotting library, no fonts embedded, white background so it reads the same in the
theme's dark mode). Re-run it when the labs, their titles or their order change, and commit the
SVG; `tests/tools/test_course_map.py` fails while the committed SVG is out of date.
"""

import json
import textwrap
from html import escape
from pathlib import Path
from typing import NamedTuple

import yaml

from tools.layout import ROOT

TOC = ROOT / "_toc.yml"
OUT = ROOT / "images" / "course_map.svg"
OPTIONAL_MARK = "(optional)"

COL_W, GAP, BOX_W, TOP, LINE_H, TITLE_WIDTH = 190, 12, 160, 70, 15, 20
BLUE, GREY, INK = "#1f4e79", "#6c757d", "#212529"


class Lab(NamedTuple):
    """One lab's box: its chapter number, title lines, and whether it is optional."""

    number: int
    lines: tuple
    optional: bool


class Part(NamedTuple):
    """One column of the map: a part's caption and its labs, in order."""

    caption: str
    labs: tuple


def notebook_title(path: Path) -> str:
    """The notebook's first markdown heading, up to a colon (``# Adam: ...`` -> ``Adam``)."""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].split(":")[0].strip()
    raise ValueError(f"{path}: no '# title' heading")


def read_parts(toc: Path = TOC) -> list[Part]:
    """The parts of `_toc.yml` whose chapters are labs, with the labs numbered in order."""
    parts, number = [], 0
    for part in yaml.safe_load(toc.read_text(encoding="utf-8"))["parts"]:
        files = [c["file"] for c in part.get("chapters", []) if c["file"].startswith("labs/")]
        if not files:
            continue
        caption = part["caption"]
        optional = caption.endswith(OPTIONAL_MARK)
        labs = []
        for file in files:
            number += 1
            title = notebook_title(ROOT / f"{file.removesuffix('.ipynb')}.ipynb")
            lines = textwrap.wrap(title, TITLE_WIDTH) + ([OPTIONAL_MARK] if optional else [])
            labs.append(Lab(number, tuple(lines), optional))
        parts.append(Part(caption.removesuffix(OPTIONAL_MARK).strip(), tuple(labs)))
    return parts


def svg(parts: list[Part]) -> str:
    """The map as SVG text: a column per part, a box per lab, arrows in lab order."""
    n_lines = max(len(lab.lines) for part in parts for lab in part.labs)
    box_h = 32 + LINE_H * n_lines
    row_h = box_h + 26
    width = len(parts) * (COL_W + GAP) + GAP
    height = TOP + 10 + max(len(p.labs) for p in parts) * row_h + 20
    where = {}  # lab number -> top-left corner of its box
    for col, part in enumerate(parts):
        x = GAP + col * (COL_W + GAP) + (COL_W - BOX_W) / 2
        for row, lab in enumerate(part.labs):
            where[lab.number] = (x, TOP + 10 + row * row_h)
    labs = [lab for part in parts for lab in part.labs]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif">',
        f"<title>Course map: the {len(labs)} labs in {len(parts)} parts, in the order they "
        "are done</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='7' "
        f"markerHeight='7' orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' fill='{GREY}'/>"
        "</marker></defs>",
    ]
    for col, part in enumerate(parts):
        x = GAP + col * (COL_W + GAP)
        out.append(
            f'<rect x="{x}" y="12" width="{COL_W}" height="{height - 24}" rx="10" '
            f'fill="#f3f6fa" stroke="#d5dde6"/>'
        )
        out.append(
            f'<text x="{x + COL_W / 2}" y="40" text-anchor="middle" font-size="14" '
            f'font-weight="bold" fill="{INK}">{escape(part.caption)}</text>'
        )
    for a, b in zip(labs[:-1], labs[1:], strict=True):
        (xa, ya), (xb, yb) = where[a.number], where[b.number]
        if xa == xb:  # same column: from the bottom of a to the top of b
            x1, y1, x2, y2 = xa + BOX_W / 2, ya + box_h, xb + BOX_W / 2, yb
        else:  # next column: from the right side of a to the left side of b
            x1, y1, x2, y2 = xa + BOX_W, ya + box_h / 2, xb, yb + box_h / 2
        dash = ' stroke-dasharray="5 4"' if b.optional else ""
        out.append(
            f'<path d="M{x1},{y1} C{(x1 + x2) / 2},{y1} {(x1 + x2) / 2},{y2} {x2},{y2}" '
            f'fill="none" stroke="{GREY}" stroke-width="1.6"{dash} marker-end="url(#arrow)"/>'
        )
    for lab in labs:
        x, y = where[lab.number]
        dash = ' stroke-dasharray="6 4"' if lab.optional else ""
        out.append(
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{box_h}" rx="8" fill="#ffffff" '
            f'stroke="{BLUE}" stroke-width="2"{dash}/>'
        )
        out.append(
            f'<text x="{x + BOX_W / 2}" y="{y + 19}" text-anchor="middle" font-size="12" '
            f'font-weight="bold" fill="{BLUE}">Lab {lab.number}</text>'
        )
        first = y + 37 + (n_lines - len(lab.lines)) * LINE_H / 2  # centred below "Lab n"
        for k, line in enumerate(lab.lines):
            out.append(
                f'<text x="{x + BOX_W / 2}" y="{first + LINE_H * k}" text-anchor="middle" '
                f'font-size="12.5" fill="{INK}">{escape(line)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main() -> None:
    """Write images/course_map.svg from _toc.yml and the notebooks' titles."""
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(svg(read_parts()), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
