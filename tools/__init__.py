"""Instructor and maintainer tooling (not part of the students' utils package)."""
