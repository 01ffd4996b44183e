"""Where the course's files are, in one place: the repository root and the lab notebooks.

Every tool that needs a path starts from :data:`ROOT`; every tool that goes through the labs
asks :func:`labs` for them.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def labs(root: Path = ROOT) -> list[Path]:
    """The lab notebooks under ``root``, in chapter order (``labs/NN_topic.ipynb``: a name
    starts with its chapter number)."""
    return sorted((Path(root) / "labs").glob("*.ipynb"))
