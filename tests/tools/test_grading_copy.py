"""tools/grading_copy.py: the course package the kernels see holds no answer key."""

import re

from tools import grading_copy


def test_the_kernels_course_copy_holds_no_answer_key(tmp_path):
    """The grading copy of utils: the real modules' check_* names, inert, and nothing else of
    utils/exercises (no cases, no expected answers, no reference code)."""
    copy = grading_copy.write_grading_copy(tmp_path / "copy")
    folder = copy / "utils" / "exercises"
    modules = grading_copy.lab_modules()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["__init__.py", *(f"{name}.py" for name in modules)]
    )
    for name, module in modules.items():
        text = (folder / f"{name}.py").read_text(encoding="utf-8")
        names = re.findall(r"\bcheck_\w+", text)
        assert sorted(names) == grading_copy.checker_names(module) != []
        assert "import" not in text and "EXERCISES" not in text and "expected" not in text
    assert (copy / "utils" / "activations.py").is_file()  # the labs' own code is there
