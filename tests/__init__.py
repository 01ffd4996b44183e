"""The course's tests; CONTRIBUTING.md ("Where a test goes") describes the layout."""
