"""Every repository link of the built book follows the one setting (tools/repository.py).

Three cases, each on built pages:

- a URL in `_config.yml` (with `launch_buttons.jupyterhub_url` set, so the JupyterHub button
  is an nbgitpuller link): a copy of the working tree, built with a short table of contents;
- no URL in `_config.yml` but an `origin` remote in ssh form: a copy made a git clone;
- neither: no repository, issue, edit or launch button and no repository link; the build
  says once how to set it. That is the session's full build (`book_build`) when this clone
  resolves to no repository; else the full build is checked against the clone's repository
  and a copy whose `origin` is a local path is built for this case.
"""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from tests.support import ROOT
from tests.support.book import build_book
from tools.repository import HOW_TO_SET, resolve
from tools.standalone import working_tree_copy

CONFIGURED = "https://github.com/course-team/nn-training-labs"
ORIGIN_SSH, ORIGIN = "git@github.com:someone/course-fork.git", "https://github.com/someone/course-fork"
HUB = "https://hub.example.edu"
LAB = "labs/01_training_steps"
SHORT_TOC = {"format": "jb-book", "root": "intro", "chapters": [{"file": LAB}]}
# Hosts of the buttons: none may appear when no repository resolves.
BUTTON_HOSTS = ("github.com", "gitlab.com", "mybinder.org", "colab.research.google.com", HUB)
NO_REPOSITORY_TEXT = "not set for this build of the book"  # _ext/course_book.py


class Links(HTMLParser):
    """Every href of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def hrefs(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.hrefs


def short_build(tmp_path: Path, url: str, origin: str | None = None, hub: str = "") -> tuple:
    """Build the copy with the landing page and one lab; returns (html folder, build log)."""
    copy = working_tree_copy(tmp_path / "course")
    config = yaml.safe_load((copy / "_config.yml").read_text(encoding="utf-8"))
    config["repository"]["url"] = url
    config["launch_buttons"]["jupyterhub_url"] = hub
    (copy / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (copy / "_toc.yml").write_text(yaml.safe_dump(SHORT_TOC, sort_keys=False), encoding="utf-8")
    if origin is not None:
        subprocess.run(["git", "init", "-q", str(copy)], check=True)
        subprocess.run(["git", "-C", str(copy), "remote", "add", "origin", origin], check=True)
    build = build_book(copy, tmp_path / "out")
    return build.html, build.log


def assert_buttons_point_at(html: Path, url: str) -> list[str]:
    """The lab page's repository, issue, edit, Binder and Colab links go to `url`."""
    owner_name = url.removeprefix("https://github.com/")
    links = hrefs(html / f"{LAB}.html")
    expected = {
        "repository": url,
        "issue": f"{url}/issues/new?title=",
        "edit": f"{url}/edit/main/{LAB}.ipynb",
        "Binder": f"https://mybinder.org/v2/gh/{owner_name}/main?urlpath=lab/tree/{LAB}.ipynb",
        "Colab": f"https://colab.research.google.com/github/{owner_name}/blob/main/{LAB}.ipynb",
    }
    missing = {k: v for k, v in expected.items() if not any(h.startswith(v) for h in links)}
    assert not missing, f"{LAB}: buttons missing or pointing elsewhere: {missing}\nlinks: {links}"
    assert url in hrefs(html / "intro.html"), "the landing page does not link the repository"
    return links


def assert_no_repository_links(html: Path, log: str) -> None:
    for page in html.rglob("*.html"):
        dead = [h for h in hrefs(page) if any(host in h for host in BUTTON_HOSTS)]
        assert not dead, f"{page.relative_to(html)}: repository or launch links {dead}"
    assert log.count(HOW_TO_SET) == 1, f"the build should say once: {HOW_TO_SET!r}\n{log}"
    intro = (html / "intro.html").read_text(encoding="utf-8")
    assert NO_REPOSITORY_TEXT in intro, "the landing page does not say there is no repository"


def test_config_url_drives_every_button_and_jupyterhub_gets_nbgitpuller(tmp_path: Path) -> None:
    html, log = short_build(tmp_path, CONFIGURED, origin=ORIGIN_SSH, hub=HUB)
    links = assert_buttons_point_at(html, CONFIGURED)
    assert HOW_TO_SET not in log
    pulls = [h for h in links if h.startswith(f"{HUB}/hub/user-redirect/git-pull?")]
    assert len(pulls) == 1, f"want one JupyterHub (nbgitpuller) link, found {pulls}"
    query = parse_qs(urlsplit(pulls[0]).query)
    assert query == {
        "repo": [CONFIGURED],
        "branch": ["main"],
        "urlpath": [f"lab/tree/nn-training-labs/{LAB}.ipynb"],
    }


def test_origin_remote_is_used_when_the_config_has_no_url(tmp_path: Path) -> None:
    html, log = short_build(tmp_path, "", origin=ORIGIN_SSH)
    links = assert_buttons_point_at(html, ORIGIN)
    assert not [h for h in links if HUB in h or "git-pull" in h], "JupyterHub link without a hub"
    assert HOW_TO_SET not in log


def test_this_clone_and_the_no_repository_case(book_build, tmp_path: Path) -> None:
    """The session's full build follows this clone's setting. When the clone names no
    repository (CI's clone: its origin is a local path) that build is the no-repository
    case; otherwise a copy whose origin is a local path is built for it."""
    repository = resolve(ROOT)
    if repository is None:
        assert_no_repository_links(book_build.html, book_build.log)
    else:
        assert_buttons_point_at(book_build.html, repository.url)
        assert_no_repository_links(*short_build(tmp_path, "", origin="/srv/git/no-web-address"))
