"""The course package as a student's kernel sees it while it is graded.

A copy of ``utils`` in which ``utils/exercises`` holds no answer keys and no reference code:
one inert module per lab whose ``check_*`` names (taken from the real modules) accept anything
and print a neutral line. Answers are judged by the grader outside the student's sandbox, so
nothing a kernel can import tells it what the right answers are.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import utils
import utils.exercises

NEUTRAL = "(your answer is checked by the grader)"

_INERT = '''"""{lab}'s checkers, as a graded kernel sees them: they accept anything and print a
neutral line (the grader judges the answers outside this kernel)."""


def _inert(*args, **kwargs):
    """Accept any answer; print a neutral line."""
    print({neutral!r})


{names} = _inert
'''


def lab_modules():
    """The real checker modules, by name (``"lab01"`` ... ``"lab08"``)."""
    return {
        name: module
        for name, module in vars(utils.exercises).items()
        if name.startswith("lab") and hasattr(module, "EXERCISES")
    }


def checker_names(module):
    """The ``check_*`` names a lab's notebook may import from ``module``, sorted."""
    return sorted(name for name in vars(module) if name.startswith("check_"))


def write_grading_copy(dest):
    """Write the grading copy of ``utils`` into the new folder ``dest`` (``dest/utils``);
    return ``dest``. ``dest`` must not exist yet."""
    dest = Path(dest)
    source = Path(utils.__file__).parent
    shutil.copytree(
        source,
        dest / "utils",
        ignore=lambda folder, names: (
            [n for n in names if n == "__pycache__"]
            + (["exercises"] if Path(folder) == source else [])
        ),
    )
    folder = dest / "utils" / "exercises"
    folder.mkdir()
    modules = lab_modules()
    (folder / "__init__.py").write_text(
        '"""The labs\' checkers, inert while a notebook is graded."""\n', encoding="utf-8"
    )
    for name, module in modules.items():
        names = " = ".join(checker_names(module)) or "_unused"
        text = _INERT.format(lab=f"Lab {int(name[3:])}", neutral=NEUTRAL, names=names)
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
    for path in dest.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    dest.chmod(0o755)
    return dest
