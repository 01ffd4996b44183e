"""The grader's output: ``OUT/grades.csv`` and ``OUT/feedback/``, written as each submission
is graded, so that a stopped run loses nothing and a new run with the same OUT resumes.

A row is appended, flushed and fsync'ed right after that submission's feedback page is
written. A run with the same OUT keeps the complete rows it finds (a row is keyed by the
submission's path and the sha256 of its bytes: a changed file is graded again) and grades only
the rest; ``fresh=True`` starts over. No CSV cell can start a spreadsheet formula, and no text
a submission controls can fake the feedback page's headings or verdicts.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from pathlib import Path

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def cell(value):
    """``value`` as a CSV cell a spreadsheet shows as text: a leading ' before = + - @ tab CR."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def one_line(text):
    """``text`` on one line, control characters dropped (for a note)."""
    return _CONTROL.sub("", " ".join(str(text).split()))


def quoted(lines):
    """``lines`` as a fenced Markdown block whose fence no line can close."""
    lines = [_CONTROL.sub("", str(line)) for line in lines]
    longest = max([len(run) for line in lines for run in re.findall(r"`+", line)] + [2])
    fence = "`" * (longest + 1)
    return [fence + "text", *lines, fence]


def feedback_text(g):
    """The feedback page of one graded submission (Markdown): headings and verdicts are the
    grader's; every message and note is quoted."""
    lines = ["# Feedback", "", *quoted([g.name]), ""]
    if g.scores:
        lines += [f"Score: {sum(g.scores.values())} of {len(g.scores)} exercises.", ""]
    for label, messages in g.messages.items():
        lines += [f"## {label}: {'passed' if g.scores[label] else 'not yet'}", ""]
        lines += quoted(messages) + [""]
    if g.notes:
        lines += ["## Notes", "", *quoted(g.notes), ""]
    return "\n".join(lines)


class Results:
    """``OUT/grades.csv`` (columns: submission, sha256, one per label, total, feedback, note)
    and ``OUT/feedback/``; use as a context manager, :meth:`add` each graded submission.
    ``current`` maps this run's submissions to their sha256: an earlier row of one of them
    with other bytes is dropped (it is graded again)."""

    def __init__(self, out, labels, fresh=False, current=None):
        self.out = Path(out)
        self.header = ["submission", "sha256", *labels, "total", "feedback", "note"]
        self.labels = list(labels)
        self.grades = self.out / "grades.csv"
        self.feedback = self.out / "feedback"
        self.out.mkdir(parents=True, exist_ok=True)
        if fresh:
            _remove(self.grades)
            _remove(self.feedback)
        current = {cell(name): digest for name, digest in (current or {}).items()}
        self.rows = {
            key: row
            for key, row in self._kept_rows().items()
            if current.get(key[0], key[1]) == key[1]
        }
        self.feedback.mkdir(exist_ok=True)
        self._rewrite()

    def _rewrite(self):
        """Replace grades.csv by the header and ``self.rows`` at once (a whole file or the old
        one, never half of one), and open it for appending."""
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerows([self.header, *self.rows.values()])
        temporary = self.out / "grades.csv.partial"
        _remove(temporary)
        with temporary.open("w", newline="", encoding="utf-8") as f:
            f.write(text.getvalue())
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, self.grades)
        self.file = self.grades.open("a", newline="", encoding="utf-8")
        self.writer = csv.writer(self.file)

    def sort(self, names):
        """Rewrite grades.csv with its rows in the order of the submission ``names`` (rows of
        other names last, as they were): the same file however many graded at once."""
        rank = {cell(name): k for k, name in enumerate(names)}
        keys = sorted(self.rows, key=lambda key: rank.get(key[0], len(rank)))
        self.rows = {key: self.rows[key] for key in keys}
        self.file.close()
        self._rewrite()

    def _kept_rows(self):
        """The complete rows of an earlier run, by (submission, sha256)."""
        if self.grades.is_symlink() or not self.grades.is_file():
            _remove(self.grades)
            return {}
        with self.grades.open(newline="", encoding="utf-8", errors="replace") as f:
            rows = list(csv.reader(f))
        if not rows:
            return {}
        if rows[0] != self.header:
            raise ValueError(
                f"{self.grades} has other columns than this grader writes: "
                "grade into another OUT, or start over with --fresh"
            )
        return {(r[0], r[1]): r for r in rows[1:] if len(r) == len(self.header) and r[1]}

    def done(self, name, digest):
        """Whether submission ``name`` with these bytes already has its row."""
        return (cell(name), digest) in self.rows

    def add(self, g, feedback_name):
        """Write ``g``'s feedback page as ``feedback_name``, then append its row (flushed to
        disk before this returns)."""
        path = self.feedback / feedback_name
        _remove(path)
        path.write_text(feedback_text(g), encoding="utf-8")
        scores = [g.scores.get(label, "") for label in self.labels]
        note = one_line("; ".join(g.notes))
        row = [g.name, g.digest, *scores, sum(g.scores.values()), feedback_name, note]
        row = [cell(v) for v in row]
        self.writer.writerow(row)
        self.file.flush()
        os.fsync(self.file.fileno())
        self.rows[row[0], row[1]] = row

    def close(self):
        """Close grades.csv."""
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _remove(path):
    """Remove a file, link or folder at ``path`` if there is one (a link is not followed)."""
    path = Path(path)
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
