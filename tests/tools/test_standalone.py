"""tools.standalone's pieces that need no second environment: which pins a Colab-like venv
takes, which files a working-tree copy holds, and the line of an error shown to the author.
(The whole run, a venv and nbval on a lab alone, is `make matrix`'s.)"""

import subprocess

from tools.standalone import colab_pins, said, working_tree_copy


def test_colab_pins_keep_only_what_colab_has(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        "# the labs\nnumpy==2.1.3  # maths\nKeras==3.12.0\njupyter-book==1.0.4\n"
        'tensorflow-cpu==2.20.0 ; sys_platform == "linux"\nscikit-learn[extra]>=1.5\n',
        encoding="utf-8",
    )
    assert colab_pins(requirements) == [
        "numpy==2.1.3",
        "Keras==3.12.0",
        'tensorflow-cpu==2.20.0 ; sys_platform == "linux"',
        "scikit-learn[extra]>=1.5",
    ]


def test_working_tree_copy_holds_tracked_and_new_files_not_ignored_ones(tmp_path):
    repo = tmp_path / "repo"
    (repo / "labs").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".gitignore").write_text("_build/\n", encoding="utf-8")
    (repo / "labs" / "lab.ipynb").write_text("{}", encoding="utf-8")
    (repo / "_build").mkdir()
    (repo / "_build" / "page.html").write_text("built", encoding="utf-8")
    copy = working_tree_copy(tmp_path / "copy", root=repo)
    files = sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*") if p.is_file())
    assert files == [".gitignore", "labs/lab.ipynb"]


def test_said_shows_the_last_line_with_the_message():
    error = "Traceback\nRuntimeError: set NN_LABS_SOURCE first\n  again: set NN_LABS_SOURCE"
    assert said(error, "set NN_LABS_SOURCE") == "   it said: again: set NN_LABS_SOURCE"
    assert said(error, "a different package") == "   it did not say it"
