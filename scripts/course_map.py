"""Draw the course map of the landing page: images/course_map.svg.

    .venv/bin/python scripts/course_map.py

A plain SVG written by hand (no plotting library, no fonts embedded, white background so it
reads the same in the theme's dark mode). Re-run it when the labs or their order change, and
commit the SVG.
"""

from html import escape
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "images" / "course_map.svg"

# (part caption, [(lab number, title line 1, title line 2)]), left to right.
PARTS = [
    ("Training a network", [(1, "The three steps", "of training")]),
    ("Activations", [(2, "Activation", "functions")]),
    (
        "Multiclass and stability",
        [
            (3, "Softmax and", "multiclass"),
            (4, "Numerical stability,", "from_logits=True"),
            (5, "Multi-label", "classification"),
        ],
    ),
    (
        "Optimisation and layers",
        [(6, "The Adam", "optimizer"), (7, "Convolutional", "layers")],
    ),
    ("Going deeper", [(8, "Back propagation", "(optional)")]),
]
OPTIONAL = {8}
# The order in which the labs are meant to be done (arrows).
EDGES = [(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8)]

COL_W, GAP, BOX_W, BOX_H, ROW_H, TOP = 190, 12, 160, 62, 88, 70
W = len(PARTS) * (COL_W + GAP) + GAP
BLUE, GREY, INK = "#1f4e79", "#6c757d", "#212529"


def layout() -> dict[int, tuple[float, float]]:
    """Top-left corner of each lab's box."""
    where = {}
    for col, (_, labs) in enumerate(PARTS):
        x = GAP + col * (COL_W + GAP) + (COL_W - BOX_W) / 2
        for row, (number, *_rest) in enumerate(labs):
            where[number] = (x, TOP + 10 + row * ROW_H)
    return where


def svg() -> str:
    where = layout()
    rows = max(len(labs) for _, labs in PARTS)
    height = TOP + 10 + rows * ROW_H + 20
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" '
        f'viewBox="0 0 {W} {height}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif">',
        "<title>Course map: the eight labs in five parts, in the order they are done</title>",
        f'<rect width="{W}" height="{height}" fill="#ffffff"/>',
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='7' "
        f"markerHeight='7' orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' fill='{GREY}'/>"
        "</marker></defs>",
    ]
    for col, (caption, _) in enumerate(PARTS):
        x = GAP + col * (COL_W + GAP)
        out.append(
            f'<rect x="{x}" y="12" width="{COL_W}" height="{height - 24}" rx="10" '
            f'fill="#f3f6fa" stroke="#d5dde6"/>'
        )
        out.append(
            f'<text x="{x + COL_W / 2}" y="40" text-anchor="middle" font-size="14" '
            f'font-weight="bold" fill="{INK}">{escape(caption)}</text>'
        )
    for a, b in EDGES:
        (xa, ya), (xb, yb) = where[a], where[b]
        if xa == xb:  # same column: from the bottom of a to the top of b
            x1, y1, x2, y2 = xa + BOX_W / 2, ya + BOX_H, xb + BOX_W / 2, yb
        else:  # next column: from the right side of a to the left side of b
            x1, y1, x2, y2 = xa + BOX_W, ya + BOX_H / 2, xb, yb + BOX_H / 2
        dash = ' stroke-dasharray="5 4"' if b in OPTIONAL else ""
        out.append(
            f'<path d="M{x1},{y1} C{(x1 + x2) / 2},{y1} {(x1 + x2) / 2},{y2} {x2},{y2}" '
            f'fill="none" stroke="{GREY}" stroke-width="1.6"{dash} marker-end="url(#arrow)"/>'
        )
    for _, labs in PARTS:
        for number, line1, line2 in labs:
            x, y = where[number]
            dash = ' stroke-dasharray="6 4"' if number in OPTIONAL else ""
            out.append(
                f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="#ffffff" '
                f'stroke="{BLUE}" stroke-width="2"{dash}/>'
            )
            out.append(
                f'<text x="{x + BOX_W / 2}" y="{y + 19}" text-anchor="middle" font-size="12" '
                f'font-weight="bold" fill="{BLUE}">Lab {number}</text>'
            )
            for k, line in enumerate((line1, line2)):
                out.append(
                    f'<text x="{x + BOX_W / 2}" y="{y + 37 + 15 * k}" text-anchor="middle" '
                    f'font-size="12.5" fill="{INK}">{escape(line)}</text>'
                )
    out.append("</svg>")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(svg(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")
