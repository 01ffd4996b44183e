"""One test module per checker module: tests/exercises/test_<module>.py tests
utils/exercises/<module>.py (test_registry.py: the package's registry)."""
