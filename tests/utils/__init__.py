"""One test module per utils module: tests/utils/test_<module>.py tests utils/<module>.py."""
