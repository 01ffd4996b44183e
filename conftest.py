"""Repository-wide pytest hooks.

nbval compares each re-run notebook cell with its committed outputs. Under pytest the
kernel's C-level stderr (TensorFlow's start-up lines, for example) is not captured, so a
stderr output could never be matched: never compare stderr streams.
"""


def pytest_collectstart(collector):
    # nbval's IPyNbFile sets `skip_compare` when it is created; extend it before it runs.
    if collector.path.suffix == ".ipynb" and hasattr(collector, "skip_compare"):
        collector.skip_compare += ("stderr",)
