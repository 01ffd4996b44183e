"""Repository-wide pytest hooks for nbval.

1. nbval compares each re-run notebook cell with its committed outputs. Under pytest the
   kernel's C-level stderr (TensorFlow's start-up lines, for example) is not captured, so a
   stderr output could never be matched: never compare stderr streams.
2. A figure's text output is ``<Figure size 600x400 with 1 Axes>``. Its size is the figure
   style's business (utils.plots, checked by tests/utils/test_figure_output.py and the browser
   test), like the PNG itself, which nbval never compares: compare the number of axes only.
3. Kernels talk over IPC sockets in a private temporary folder, not TCP. With TCP, two
   pytest-xdist workers starting kernels at the same moment can be handed the same free
   port; one client then reaches the other worker's kernel and waits 60 s for a reply that
   never comes ("Kernel didn't respond in 60 seconds", seen once in 9 runs of the labs).
"""

import re
import tempfile
import uuid
from pathlib import Path

import nbval.kernel
from jupyter_client.manager import KernelManager

_SOCKETS = Path(tempfile.mkdtemp(prefix="nbval-kernels-"))


class IPCKernelManager(KernelManager):
    """A KernelManager whose channels are unix sockets unique to this kernel."""

    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(_SOCKETS / f"kernel-{uuid.uuid4().hex}"))
        super().__init__(**kwargs)


nbval.kernel.KernelManager = IPCKernelManager

FIGURE_SIZE = re.compile(r"<Figure size [\d.]+x[\d.]+ with (\d+) Axes>")


def pytest_collectstart(collector):
    # nbval's IPyNbFile sets `skip_compare` and `sanitize_patterns` when it is created; extend
    # them before it runs (its set-up adds the patterns of --nbval-sanitize-with to these).
    if collector.path.suffix == ".ipynb" and hasattr(collector, "skip_compare"):
        collector.skip_compare += ("stderr",)
        collector.sanitize_patterns[FIGURE_SIZE.pattern] = r"<Figure with \1 Axes>"


def pytest_sessionfinish(session):
    # The sockets are removed with their kernels; remove the folder if it is empty.
    try:
        _SOCKETS.rmdir()
    except OSError:
        pass
