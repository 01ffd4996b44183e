"""Where the course is published: the one setting behind every link and install command.

The repository's web address comes from, in order:

1. ``repository.url`` in ``_config.yml``, when it is set;
2. the clone's ``origin`` remote, when it is a web or ssh address (``git@host:owner/name.git``
   and ``ssh://git@host/owner/name.git`` become ``https://host/owner/name``);
3. nothing: the book then shows no repository, issue, edit or launch button, and the labs
   ask for ``NN_LABS_SOURCE`` instead of naming an address that does not exist.

``python -m tools.repository`` prints what this clone resolves to.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.layout import ROOT

HOW_TO_SET = (
    "no repository URL: set repository.url in _config.yml (or add an `origin` remote) to get "
    "the repository, issue, edit and launch buttons and the labs' install command"
)
# https://host/owner/name(.git), ssh://[user@]host[:port]/owner/name(.git), user@host:owner/name
_WEB = re.compile(r"^https?://(?:[^@/]+@)?(?P<host>[^/:]+)(?::\d+)?/(?P<path>[^?#]+?)(?:\.git)?/?$")
_SSH = re.compile(r"^ssh://(?:[^@/]+@)?(?P<host>[^/:]+)(?::\d+)?/(?P<path>.+?)(?:\.git)?/?$")
_SCP = re.compile(r"^(?:[^@/]+@)?(?P<host>[^/:]+):(?P<path>[^/].*?)(?:\.git)?/?$")


@dataclass(frozen=True)
class Repository:
    """A published repository: ``url`` is ``https://host/owner/name``, ``branch`` the book's."""

    url: str
    branch: str = "main"

    @property
    def host(self) -> str:
        return self.url.split("/")[2]

    @property
    def install_source(self) -> str:
        """What ``pip install`` takes to install the course package from this repository.

        GitHub and GitLab serve the branch as a zip archive, which needs no git on the
        student's machine; any other host is installed with git (``git+URL@branch``).
        """
        name = self.url.rsplit("/", 1)[-1]
        if self.host == "github.com":
            return f"{self.url}/archive/refs/heads/{self.branch}.zip"
        if self.host == "gitlab.com":
            return f"{self.url}/-/archive/{self.branch}/{name}-{self.branch}.zip"
        return f"git+{self.url}@{self.branch}"


def web_url(remote: str) -> str | None:
    """``https://host/owner/name`` for a git remote address, or None when it is not one.

    Credentials and ports are dropped; a local path or ``file://`` remote gives None.
    """
    if not isinstance(remote, str):
        raise TypeError(f"remote must be a string, got {type(remote).__name__}")
    remote = remote.strip()
    for pattern in (_WEB, _SSH, _SCP):
        match = pattern.match(remote)
        if match and "/" in match["path"].strip("/"):
            return f"https://{match['host']}/{match['path'].strip('/')}"
    return None


def origin_remote(root: Path = ROOT) -> str | None:
    """The ``origin`` remote of the git clone at ``root``, or None (no git, no clone, no origin)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def resolve(root: Path = ROOT, config: dict | None = None) -> Repository | None:
    """The course's repository as this clone knows it, or None.

    ``config`` is the parsed ``_config.yml`` (read from ``root`` when not given).
    """
    if config is None:
        config = yaml.safe_load((Path(root) / "_config.yml").read_text(encoding="utf-8"))
    if not isinstance(config, dict):
        kind = type(config).__name__
        raise TypeError(f"config must be a dict (a parsed _config.yml), got {kind}")
    settings = config.get("repository") or {}
    branch = str(settings.get("branch") or "main")
    configured = str(settings.get("url") or "").strip()
    if configured:
        url = web_url(configured)
        if url is None:
            raise ValueError(
                f"_config.yml repository.url must be an https address, got {configured!r}"
            )
        return Repository(url, branch)
    remote = origin_remote(Path(root))
    url = web_url(remote) if remote else None
    return Repository(url, branch) if url else None


if __name__ == "__main__":
    repository = resolve()
    print(HOW_TO_SET if repository is None else f"{repository.url} (branch {repository.branch})")
