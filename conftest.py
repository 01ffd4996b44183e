"""Repository-wide pytest hooks for nbval.

1. nbval compares each re-run notebook cell with its committed outputs. Under pytest the
   kernel's C-level stderr (TensorFlow's start-up lines, for example) is not captured, so a
   stderr output could never be matched: never compare stderr streams.
2. Kernels talk over IPC sockets in a private temporary folder, not TCP. With TCP, two
   pytest-xdist workers starting kernels at the same moment can be handed the same free
   port; one client then reaches the other worker's kernel and waits 60 s for a reply that
   never comes ("Kernel didn't respond in 60 seconds", seen once in 9 runs of the labs).
"""

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


def pytest_collectstart(collector):
    # nbval's IPyNbFile sets `skip_compare` when it is created; extend it before it runs.
    if collector.path.suffix == ".ipynb" and hasattr(collector, "skip_compare"):
        collector.skip_compare += ("stderr",)


def pytest_sessionfinish(session):
    # The sockets are removed with their kernels; remove the folder if it is empty.
    try:
        _SOCKETS.rmdir()
    except OSError:
        pass
