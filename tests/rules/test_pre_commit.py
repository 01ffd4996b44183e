"""The pre-commit hooks (.pre-commit-config.yaml) pass on the repository and can fail.

`pre-commit run --all-files` runs every hook on every tracked file: ruff (code, tests,
notebooks), the notebook hygiene and first-cell tests, JSON/YAML/TOML parsing, cffconvert
on CITATION.cff and actionlint on the GitHub Actions workflow. Hook environments are made
once per PRE_COMMIT_HOME: `make` makes them with the venv in .venv/pre-commit, and these
tests use that folder too unless PRE_COMMIT_HOME is set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support import ROOT

CONFIG = ROOT / ".pre-commit-config.yaml"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^;\s]+)\s*$")


def pre_commit(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.setdefault("PRE_COMMIT_HOME", str(Path(sys.prefix) / "pre-commit"))  # the Makefile's
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )


def hooks() -> dict[str, dict]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def test_every_hook_is_local() -> None:
    """pre-commit would clone any other repo from GitHub, which CI machines may not reach."""
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]


def test_hook_pins_match_the_requirements() -> None:
    """A tool pinned both for a hook and in a requirements file has one version."""
    pinned: dict[str, set[str]] = {}
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            match = re.match(r"^([A-Za-z0-9_.\-]+)==([^;\s]+)", line.strip())
            if match:
                pinned.setdefault(match[1].lower(), set()).add(match[2])
    differ = {}
    for hook_id, hook in hooks().items():
        for dependency in hook.get("additional_dependencies", []):
            match = PIN.match(dependency)
            assert match, f"hook {hook_id}: {dependency!r} is not pinned with =="
            name, version = match[1].lower(), match[2]
            if name in pinned and version not in pinned[name]:
                differ[f"{hook_id}: {name}"] = (version, sorted(pinned[name]))
    assert not differ, f"hook pins that differ from the requirements files: {differ}"


def test_pre_commit_passes_on_all_files() -> None:
    result = pre_commit("run", "--all-files", "--show-diff-on-failure", "--color", "never")
    assert result.returncode == 0, f"pre-commit run --all-files failed:\n{result.stdout}"
    passed = re.findall(r"\.Passed$", result.stdout, flags=re.MULTILINE)
    assert len(passed) == len(hooks()), f"not every hook ran and passed:\n{result.stdout}"


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    """An empty git repository with this repository's pre-commit configuration."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copy(CONFIG, tmp_path / CONFIG.name)
    return tmp_path


def run_hook(repo: Path, hook_id: str) -> subprocess.CompletedProcess:
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    return pre_commit("run", hook_id, "--all-files", "--color", "never", cwd=repo)


def test_cffconvert_rejects_an_invalid_citation(scratch_repo: Path) -> None:
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    broken = citation.replace("date-released:", "date-releasd:")
    assert broken != citation
    (scratch_repo / "CITATION.cff").write_text(broken, encoding="utf-8")
    result = run_hook(scratch_repo, "cffconvert")
    assert result.returncode != 0, f"cffconvert accepted a misspelt key:\n{result.stdout}"


def test_actionlint_rejects_a_broken_workflow(scratch_repo: Path) -> None:
    workflows = scratch_repo / ".github" / "workflows"
    workflows.mkdir(parents=True)
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    broken = workflow.replace("runs-on: ubuntu-24.04", "runs_on: ubuntu-24.04", 1)
    assert broken != workflow
    (workflows / "ci.yml").write_text(broken, encoding="utf-8")
    result = run_hook(scratch_repo, "actionlint")
    assert result.returncode != 0, f"actionlint accepted a job without runs-on:\n{result.stdout}"
    assert "runs-on" in result.stdout, result.stdout
