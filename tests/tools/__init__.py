"""One test module per tool: tests/tools/test_<tool>.py tests tools/<tool>.py."""
