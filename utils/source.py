"""The by-hand code in view: a lab shows the function that computes a formula from the module
itself, so that the book and the package cannot disagree.

``show_source(losses.softmax)`` as a code cell's last expression displays the function's
real source: as plain text (what nbval compares, so a lab whose module changed fails until
it is re-run) and as a highlighted Python block (the site, JupyterLab and Colab render the
Markdown form).
"""

import inspect
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """The source ``text`` of ``name`` (a function, method or class), as a notebook shows it."""

    name: str
    text: str

    def __repr__(self):
        return self.text

    def _repr_markdown_(self):
        return f"```python\n{self.text}\n```"


def show_source(obj):
    """The real source of ``obj`` (a function, method or class of a module on disk), dedented,
    as a :class:`Source` that a notebook displays; TypeError for anything else."""
    target = getattr(obj, "__func__", obj)  # a bound method's function
    if not (inspect.isfunction(target) or inspect.isclass(target)):
        raise TypeError(f"obj must be a function, method or class, got {type(obj).__name__}")
    try:
        lines = inspect.getsource(target)
    except (OSError, TypeError) as err:
        raise TypeError(f"obj has no source file to show: {err}") from None
    return Source(target.__qualname__, textwrap.dedent(lines).rstrip("\n"))
