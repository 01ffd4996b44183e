"""A figure as the notebook output the book shows: a sharp PNG that records its smallest text.

The course style (:func:`utils.plots.use_style`, run by ``lab.setup()``) makes
:func:`inline_png` the notebook's PNG renderer for matplotlib figures. The rule it implements,
which every figure of every lab follows:

- The book shows a figure at ``CSS_PX_PER_INCH`` (100) CSS px per figure inch, up to the width
  of its text column, ``COLUMN_PX`` (752) CSS px in a 1280 px window (``_static/course.css``).
  A wider figure is scaled down to the column, so keep figures at most ``MAX_WIDTH_IN``
  (7.5) inches wide.
- The PNG has ``RENDER_DPI`` (200) pixels per figure inch and its output metadata asks for it
  to be shown at half its pixel size: 2 image pixels per CSS pixel (JupyterLab and the book
  both honour it).
- Text is at least ``MIN_FONT_PT`` (8.5) points: 11.8 CSS px at full size; where the book
  shows a figure, its smallest text must be at least ``MIN_TEXT_PX`` (11) CSS px tall.
- The PNG's text chunk ``SMALLEST_TEXT_KEY`` holds the font size, in image pixels, of the
  smallest text drawn, so the browser test computes its CSS size on the page:
  ``size * displayed width / natural width``.
"""

import base64
import io
import math
from dataclasses import dataclass

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure

CSS_PX_PER_INCH = 100  # the figure.dpi of the course style: a figure inch is 100 CSS px
RENDER_DPI = 200  # image pixels per figure inch: 2 per CSS px
COLUMN_PX = 752  # the book's text column at a 1280 px window (_static/course.css)
MAX_WIDTH_IN = 7.5  # a figure up to this wide is shown at full size
MIN_TEXT_PX = 11  # smallest text where the book shows a figure, CSS px
MIN_FONT_PT = 8.5  # smallest font size the course's figures use (11.8 CSS px at full size)
SMALLEST_TEXT_KEY = "Smallest text px"  # PNG text chunk: smallest font size in image px


@dataclass(frozen=True)
class DrawnText:
    """One text a figure draws: its string, font size in image px at ``RENDER_DPI``, and its
    extent ``(x0, y0, x1, y1)`` in image px from the figure's lower left corner."""

    text: str
    size_px: float
    extent: tuple[float, float, float, float]


class _TextRecorder(RendererAgg):
    """An Agg renderer that keeps, for every Text artist it draws, the font size and the box
    of each line. Matplotlib draws a Text between ``open_group("text")`` and
    ``close_group("text")``, one ``draw_text`` call per line (an artist of several lines is
    not passed along, so the group is what ties its lines together).

    Given ``metadata`` (a dict), it also keeps ``metadata[SMALLEST_TEXT_KEY]`` at the
    smallest font size drawn so far, in image px at its own ``dpi``.
    """

    def __init__(self, width, height, dpi, metadata=None):
        super().__init__(width, height, dpi)
        self.texts = []  # per Text artist: [(line, size_pt, (x0, y0, x1, y1)), ...]
        self._lines = None
        self._metadata = metadata
        self._smallest_pt = math.inf

    def open_group(self, s, gid=None):
        if s == "text":
            self._lines = []
        super().open_group(s, gid)

    def close_group(self, s):
        if s == "text":
            if self._lines:
                self.texts.append(self._lines)
            self._lines = None
        super().close_group(s)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if s.strip():
            width, height, descent = self.get_text_width_height_descent(s, prop, ismath)
            turn = np.deg2rad(angle)
            rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
            box = np.array([[0, -descent], [width, -descent], [width, height - descent],
                            [0, height - descent]])
            # Agg is given y from the top; extents count from the bottom, like window extents
            base = (x, self.height - y if self.flipy() else y)
            corners = box @ rotation.T + base
            extent = (*corners.min(axis=0), *corners.max(axis=0))
            line = (s, prop.get_size_in_points(), extent)
            self._note_size(line[1])
            if self._lines is None:  # a text drawn outside a Text artist's group
                self.texts.append([line])
            else:
                self._lines.append(line)
        super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    def _note_size(self, size_pt):
        self._smallest_pt = min(self._smallest_pt, size_pt)
        if self._metadata is not None:
            self._metadata[SMALLEST_TEXT_KEY] = f"{self._smallest_pt * self.dpi / 72:.2f}"


class _RecordingCanvas(FigureCanvasAgg):
    """An Agg canvas that draws through a fresh :class:`_TextRecorder` every time, which
    writes the smallest text size into ``metadata``: given the same dict as
    ``print_figure(..., metadata=metadata)``, the PNG's text chunk gets it, from the one
    draw that makes the PNG (PNG metadata is read only after that draw)."""

    def __init__(self, figure, metadata):
        super().__init__(figure)
        self._metadata = metadata

    def get_renderer(self):
        width, height = self.get_width_height(physical=True)
        self.renderer = _TextRecorder(width, height, self.figure.dpi, self._metadata)
        return self.renderer


def _check_figure(fig):
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")


def drawn_texts(fig):
    """Every non-empty text ``fig`` draws (titles, labels, visible tick labels, legends,
    annotations), as :class:`DrawnText`, in drawing order; a text of several lines is one."""
    _check_figure(fig)
    recorder = _TextRecorder(*fig.bbox.size, fig.dpi)
    fig.draw(recorder)
    scale = RENDER_DPI / fig.dpi
    found = []
    for lines in recorder.texts:
        boxes = np.array([extent for _, _, extent in lines]) * scale
        corners = (*boxes[:, :2].min(axis=0), *boxes[:, 2:].max(axis=0))
        found.append(DrawnText(
            text="\n".join(line for line, _, _ in lines),
            size_px=min(size for _, size, _ in lines) * RENDER_DPI / 72,
            extent=tuple(float(v) for v in corners),
        ))
    return found


def smallest_text_px(fig):
    """The smallest font size, in image px at ``RENDER_DPI``, of the texts ``fig`` draws
    (None when it draws none)."""
    sizes = [t.size_px for t in drawn_texts(fig)]
    return min(sizes) if sizes else None


def overlapping_texts(fig):
    """Pairs ``(a, b)`` of strings of texts ``fig`` draws whose extents overlap by more than
    one image pixel each way (labels that collide)."""
    texts = drawn_texts(fig)
    pairs = []
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            dx = min(a.extent[2], b.extent[2]) - max(a.extent[0], b.extent[0])
            dy = min(a.extent[3], b.extent[3]) - max(a.extent[1], b.extent[1])
            if dx > 1 and dy > 1:
                pairs.append((a.text, b.text))
    return pairs


def png_size(png):
    """``(width, height)`` in pixels of the PNG bytes ``png``."""
    if not isinstance(png, bytes | bytearray) or png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("png must be the bytes of a PNG image")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def render_png(fig):
    """``fig`` as PNG bytes at ``RENDER_DPI`` (cropped to what it draws, like the notebook's
    inline figures), with its smallest text size in the text chunk ``SMALLEST_TEXT_KEY``;
    one draw makes both (a figure with many texts takes as long as the PNG alone)."""
    _check_figure(fig)
    metadata, canvas = {}, fig.canvas
    buffer = io.BytesIO()
    try:
        _RecordingCanvas(fig, metadata).print_figure(
            buffer,
            format="png",
            dpi=RENDER_DPI,
            bbox_inches="tight",
            facecolor=fig.get_facecolor(),
            edgecolor=fig.get_edgecolor(),
            metadata=metadata,
        )
    finally:
        fig.set_canvas(canvas)
    return buffer.getvalue()


def display_size(png):
    """``(width, height)`` in CSS px at which the PNG bytes ``png`` of :func:`render_png` are
    shown (before the book scales a figure wider than its column down): 2 image px per CSS
    px, rounded down."""
    width, height = png_size(png)
    ratio = RENDER_DPI / CSS_PX_PER_INCH
    return math.floor(width / ratio), math.floor(height / ratio)


def inline_png(fig):
    """The notebook output of ``fig``: ``(base64 PNG, {"width": w, "height": h})`` for IPython's
    PNG formatter, or None for a figure with nothing drawn in it (as IPython does)."""
    _check_figure(fig)
    if not fig.axes and not fig.lines:
        return None
    png = render_png(fig)
    width, height = display_size(png)
    return base64.b64encode(png).decode("ascii"), {"width": width, "height": height}


def use_inline_png(shell=None):
    """Show every matplotlib figure that ``shell`` displays through :func:`inline_png`.

    ``shell``: an IPython ``InteractiveShell`` (default: the running one, as in a notebook
    kernel; outside IPython there is none and nothing happens). Returns whether it did.
    Loads the configured matplotlib backend first: the inline backend registers its own PNG
    formatter when it is loaded, which would otherwise replace this one at the first figure.
    """
    if shell is None:
        try:
            from IPython import get_ipython  # optional: outside IPython there is no shell
        except ImportError:
            return False
        shell = get_ipython()
        if shell is None:
            return False
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", None)
    if not isinstance(formatters, dict) or "image/png" not in formatters:
        raise TypeError(f"shell must be an IPython InteractiveShell, got {type(shell).__name__}")
    plt.switch_backend(matplotlib.get_backend())
    formatters["image/png"].for_type(Figure, inline_png)
    return True
