"""A class roster for the grader: ``--roster FILE`` (``make grade ROSTER=FILE``).

The roster is a CSV file with the header ``student_id,name,pattern``: one student a row, and
the pattern (shell-style, ``*`` ``?`` ``[...]``, matched against the submission's path under
SUBMISSIONS as grades.csv shows it, e.g. ``ada/*.ipynb`` or ``*_ada_*``) of that student's
hand-ins. At the end of a run the grader writes ``OUT/roster.csv``: one row per student, in
the roster's order, then one per submission that matches no student. A student with no
hand-in gets a row with a note and no scores; a student with several gets the row of the one
with the highest total (the first by path on a tie) and a note naming the others.

``grades.csv`` keeps one row per submission: a run is resumed by those rows (a submission's
path and bytes), whoever the roster says handed it in.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import os
from dataclasses import dataclass
from pathlib import Path

from tools.results import cell, one_line

HEADER = ["student_id", "name", "pattern"]


@dataclass(frozen=True)
class Student:
    """One row of the roster."""

    student_id: str
    name: str
    pattern: str


def read_roster(path):
    """The students of the roster CSV at ``path``, in its order (ValueError naming ``roster``
    for a file that is not one: another header, an empty id or pattern, an id twice)."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            table = [row for row in csv.reader(f) if any(v.strip() for v in row)]
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"roster {str(path)!r} cannot be read: {err}") from err
    if not table or [v.strip().lower() for v in table[0]] != HEADER:
        raise ValueError(f"roster must start with the header {','.join(HEADER)}, in {path}")
    students, seen = [], set()
    for number, row in enumerate(table[1:], start=2):
        values = [v.strip() for v in row]
        if len(values) != len(HEADER) or not values[0] or not values[2]:
            raise ValueError(f"roster line {number} needs an id, a name and a pattern: {row!r}")
        if values[0] in seen:
            raise ValueError(f"roster line {number}: student id {values[0]!r} twice")
        seen.add(values[0])
        students.append(Student(*values))
    return students


def hand_ins(students, names):
    """({student_id: the submission names that match the student's pattern, in order},
    [names matching nobody]). A name matching several students counts for each."""
    found = {s.student_id: fnmatch.filter(names, s.pattern) for s in students}
    claimed = {n for matched in found.values() for n in matched}
    return found, [n for n in names if n not in claimed]


def roster_rows(students, grades_header, grades_rows):
    """The rows of roster.csv (header first) from grades.csv's header and rows (lists of
    cells as written): one per student, then one per submission of nobody."""
    columns = grades_header.index("total"), grades_header.index("note")
    by_name = {row[0]: row for row in grades_rows}
    found, nobody = hand_ins(students, list(by_name))
    header = ["student_id", "name", *grades_header[:-1], "note"]
    blank = [""] * (len(grades_header) - 1)
    rows = [header]
    for s in students:
        matched = [by_name[n] for n in found[s.student_id]]
        if not matched:
            rows.append([s.student_id, s.name, *blank, f"missing: no file matches {s.pattern}"])
            continue
        totals = [int(r[columns[0]]) if r[columns[0]].isdigit() else 0 for r in matched]
        best = matched[max(range(len(matched)), key=lambda k: (totals[k], -k))]
        note = [best[columns[1]]] if best[columns[1]] else []
        if len(matched) > 1:
            others = ", ".join(f"{r[0]} (total {r[columns[0]]})" for r in matched if r is not best)
            note.append(f"{len(matched)} hand-ins, the highest total kept; also {others}")
        rows.append([s.student_id, s.name, *best[:-1], "; ".join(note)])
    for name in nobody:
        row = by_name[name]
        note = "; ".join(filter(None, [row[columns[1]], "matches no student of the roster"]))
        rows.append(["", "", *row[:-1], note])
    return [rows[0]] + [[cell(one_line(v)) for v in row] for row in rows[1:]]


def write_roster_grades(out, students):
    """Write ``out/roster.csv`` from ``out/grades.csv`` (see the module's docstring) at once;
    return its path."""
    out = Path(out)
    with (out / "grades.csv").open(newline="", encoding="utf-8", errors="replace") as f:
        table = list(csv.reader(f))
    text = io.StringIO()
    csv.writer(text).writerows(roster_rows(students, table[0], table[1:]))
    path, temporary = out / "roster.csv", out / "roster.csv.partial"
    temporary.unlink(missing_ok=True)
    with temporary.open("w", newline="", encoding="utf-8") as f:
        f.write(text.getvalue())
        f.flush()
        os.fsync(f.fileno())
    temporary.replace(path)
    return path
