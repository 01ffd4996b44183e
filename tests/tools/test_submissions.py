"""tools/submissions.py: names of any bytes, shown unambiguously; feedback files apart."""

from tools import submissions


def test_names_of_any_bytes_are_shown_unambiguously():
    raws = [b"a\\xff.ipynb", b"a\xff.ipynb", b"a\n.ipynb", b"a\\x0a.ipynb", b"caf\xc3\xa9.ipynb"]
    shown = [submissions.display_name(raw) for raw in raws]
    assert shown == [
        "a\\\\xff.ipynb",
        "a\\xff.ipynb",
        "a\\x0a.ipynb",
        "a\\\\x0a.ipynb",
        "café.ipynb",
    ]
    assert len({submissions.feedback_file(raw) for raw in raws}) == len(raws)
