"""Helpers and case lists the tests share: plain modules, no tests (pytest collects none)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository
