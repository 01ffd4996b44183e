"""Rules the whole repository keeps: notebook hygiene, the twin rule, lint, pre-commit, reading
load, bad input, the release files and the layout of the tests."""
