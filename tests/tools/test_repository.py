"""The one repository setting (tools/repository.py) and the labs' first cell (tools/setup_cell.py).

The built pages that follow the setting are checked in tests/book/test_book_links.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support import ROOT
from tools import setup_cell
from tools.repository import Repository, resolve, web_url

GITHUB = "https://github.com/course-team/nn-training-labs"


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        (GITHUB, GITHUB),
        (GITHUB + ".git", GITHUB),
        (GITHUB + "/", GITHUB),
        ("git@github.com:course-team/nn-training-labs.git", GITHUB),
        ("ssh://git@github.com/course-team/nn-training-labs.git", GITHUB),
        ("ssh://git@gitlab.com:2222/group/sub/labs.git", "https://gitlab.com/group/sub/labs"),
        ("https://someone:token@github.com/course-team/nn-training-labs.git", GITHUB),
        ("http://git.example.edu/course/labs", "https://git.example.edu/course/labs"),
    ],
)
def test_web_url_of_a_remote(remote: str, url: str) -> None:
    assert web_url(remote) == url


@pytest.mark.parametrize(
    "remote",
    ["/srv/git/labs", "../labs", "file:///srv/git/labs", "C:/git/labs", "https://github.com/x", ""],
)
def test_web_url_is_none_for_local_or_partial_remotes(remote: str) -> None:
    assert web_url(remote) is None


def test_web_url_rejects_a_non_string() -> None:
    with pytest.raises(TypeError, match="remote"):
        web_url(42)


@pytest.mark.parametrize(
    ("url", "source"),
    [
        (GITHUB, GITHUB + "/archive/refs/heads/main.zip"),
        ("https://gitlab.com/group/labs", "https://gitlab.com/group/labs/-/archive/main/labs-main.zip"),
        ("https://git.example.edu/course/labs", "git+https://git.example.edu/course/labs@main"),
    ],
)
def test_install_source_needs_no_git_where_the_host_serves_archives(url: str, source: str) -> None:
    assert Repository(url, "main").install_source == source


def make_clone(tmp_path: Path, url: str = "", origin: str | None = None) -> Path:
    """A folder with a _config.yml setting `url`, as a git clone with `origin` if given."""
    config = {"repository": {"url": url, "branch": "main"}}
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    if origin is not None:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
        subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", origin], check=True)
    return tmp_path


def test_resolve_prefers_the_config_over_origin(tmp_path: Path) -> None:
    root = make_clone(tmp_path, url=GITHUB, origin="git@github.com:someone/fork.git")
    assert resolve(root) == Repository(GITHUB, "main")


def test_resolve_falls_back_to_origin_in_https_form(tmp_path: Path) -> None:
    root = make_clone(tmp_path, origin="git@github.com:someone/fork.git")
    assert resolve(root) == Repository("https://github.com/someone/fork", "main")


@pytest.mark.parametrize("origin", [None, "/srv/git/labs"])
def test_resolve_gives_none_without_a_web_address(tmp_path: Path, origin) -> None:
    assert resolve(make_clone(tmp_path, origin=origin)) is None


def test_resolve_rejects_a_config_url_that_is_not_an_address(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="repository.url"):
        resolve(make_clone(tmp_path, url="example/nn-training-labs"))


def test_resolve_rejects_a_config_that_is_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="config"):
        resolve(tmp_path, config=["repository"])


def test_config_holds_no_placeholder_address() -> None:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    url = config["repository"]["url"]
    assert "example" not in url, f"_config.yml repository.url is a placeholder: {url!r}"


# ------------------------------------------------------------------ the labs' first cell


def first_cell(path: Path) -> dict:
    return setup_cell.first_code_cell(json.loads(path.read_text("utf-8")))


def first_cells() -> dict[str, str]:
    return {path.name: "".join(first_cell(path)["source"]) for path in setup_cell.labs(ROOT)}


def test_first_code_cell_is_the_same_in_every_lab() -> None:
    cells = first_cells()
    assert len(cells) >= 8, f"expected the 8 labs, found {sorted(cells)}"
    assert len(set(cells.values())) == 1, f"labs whose first cell differs: {cells}"


def test_labs_install_from_the_repository_setting() -> None:
    """Colab opens the committed file: its first cell must carry what the setting resolves to."""
    stale = [path.name for path in setup_cell.out_of_date(ROOT)]
    assert not stale, (
        f"the first cell of {stale} does not match the repository setting "
        f"({resolve(ROOT)}): run `make book` (or `python -m tools.setup_cell`) and commit the labs"
    )


def test_first_cell_prints_nothing_in_the_repository() -> None:
    """nbval proves the output; here: the committed output of the first cell is empty."""
    for path in setup_cell.labs(ROOT):
        cell = first_cell(path)
        assert cell["outputs"] == [], f"{path.name}: the set-up cell has outputs"


@pytest.mark.parametrize(
    ("url", "default"),
    [(GITHUB, GITHUB + "/archive/refs/heads/main.zip"), ("", "")],
)
def test_setup_cell_installs_from_the_resolved_source(tmp_path: Path, url, default) -> None:
    source = setup_cell.setup_cell_source(make_clone(tmp_path, url=url))
    namespace = {}
    exec(source.split("\nif ")[0], namespace)  # the imports and SOURCE, nothing installed
    assert namespace["SOURCE"] == os.environ.get("NN_LABS_SOURCE", default)
    assert source.rstrip().endswith("lab.setup()")
    assert max(len(line) for line in source.splitlines()) <= 79, "wider than the text column"


def test_first_code_cell_rejects_what_is_not_a_notebook() -> None:
    with pytest.raises(TypeError, match="notebook"):
        setup_cell.first_code_cell("labs/01_training_steps.ipynb")
    with pytest.raises(ValueError, match="no code cell"):
        setup_cell.first_code_cell({"cells": [{"cell_type": "markdown", "source": []}]})


def test_write_changes_only_the_first_cell(tmp_path: Path) -> None:
    root = make_clone(tmp_path, url=GITHUB)
    (root / "labs").mkdir()
    lab = root / "labs" / "01_training_steps.ipynb"
    shutil.copy(ROOT / "labs" / "01_training_steps.ipynb", lab)
    before = json.loads(lab.read_text("utf-8"))

    assert setup_cell.write(root) == [lab]
    after = json.loads(lab.read_text("utf-8"))
    assert setup_cell.write(root) == [], "a second write changed the lab again"

    first = next(i for i, c in enumerate(before["cells"]) if c["cell_type"] == "code")
    assert "".join(after["cells"][first]["source"]) == setup_cell.setup_cell_source(root)
    after["cells"][first]["source"] = before["cells"][first]["source"]
    assert after == before, "write changed more than the first cell's source"
    assert lab.read_text("utf-8").endswith("}\n")
