"""One version everywhere: pyproject.toml, CITATION.cff, CHANGELOG.md and the site's footer."""

from __future__ import annotations

import re

import yaml

from tests.support import ROOT

RELEASE = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", flags=re.MULTILINE)


def project_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version = "([^"]+)"$', text, flags=re.MULTILINE).group(1)


def releases() -> list[tuple[str, str]]:
    """(version, date) of every release in CHANGELOG.md, newest first."""
    return RELEASE.findall((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))


def test_changelog_keeps_a_changelog() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n"), "CHANGELOG.md starts with '# Changelog'"
    assert "## [Unreleased]" in text, "CHANGELOG.md has an [Unreleased] section for what is next"
    assert text.index("## [Unreleased]") < text.index("## [" + releases()[0][0]), (
        "[Unreleased] comes before the releases"
    )
    dates = [date for _, date in releases()]
    assert dates == sorted(dates, reverse=True), "releases are listed newest first"


def test_one_version_in_pyproject_citation_and_changelog() -> None:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    latest, date = releases()[0]
    assert project_version() == str(citation["version"]) == latest, (
        f"pyproject.toml {project_version()}, CITATION.cff {citation['version']}, "
        f"CHANGELOG.md {latest}: set the same version in all three"
    )
    assert str(citation["date-released"]) == date, "CITATION.cff date-released is the release's"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Version {latest} (" in readme, "README.md's version line is the release's"


def test_site_footer_shows_version_and_licences(book_build) -> None:
    for page in ("intro.html", "labs/01_training_steps.html"):
        html = (book_build.html / page).read_text(encoding="utf-8")
        footer = html[html.index('class="extra_footer"') :]
        assert f"Version {project_version()}" in footer, f"{page}: no version in the footer"
        assert "MIT" in footer and "CC BY 4.0" in footer, f"{page}: the footer names no licence"
