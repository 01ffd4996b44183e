"""Helpers and case lists the tests share: plain modules, no tests (pytest collects none)."""

from tools.layout import ROOT  # noqa: F401 - the repository, re-exported for the tests
