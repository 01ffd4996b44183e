"""Instructor and maintainer tools of the course repository (run as ``python -m tools.<name>``).

Not part of ``utils``: nothing here is imported by a lab.
"""
