"""Every decimal number a lab's prose quotes is printed by the lab, in the same section;
every code block a lab calls verbatim is in the file it names.

The convention: a number such as 0.9231 in a markdown cell (main text or optional box, not
fenced code or display maths) names an output of a code cell of its own section (the text
between two `#`/`##` headings) and is written exactly as that output prints it; a number a
code cell of the section sets (`alpha = 2.5`) is a setting and may be quoted too. The
summary quotes what the whole lab printed. A number from a source is cited instead: its
paragraph carries a citation role ({cite:p}`key`), and a version such as 3.15.1 names a
release, not a result. So when an output changes and its sentence does not, this test fails.
"""

import json
import re
from pathlib import Path

import pytest

from tools.layout import ROOT, labs
from tools.reading_load import prose_by_kind

HEADING = re.compile(r"^#{1,2} (.*)$", re.M)
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
NUMBER_RUN = re.compile(r"\d[\d.]*\d")
CITATION = re.compile(r"\{cite(:\w+)?\}`")


def _uncited(prose: str) -> str:
    """``prose`` without its paragraphs that cite a source."""
    return "\n\n".join(p for p in re.split(r"\n\s*\n", prose) if not CITATION.search(p))


def decimals(text: str) -> set[str]:
    """The decimal numbers written in ``text`` (one dot; versions such as 3.15.1 left out)."""
    return {run for run in NUMBER_RUN.findall(text) if run.count(".") == 1}


def _outputs(cell: dict) -> str:
    texts = []
    for output in cell.get("outputs", []):
        text = output.get("text") or output.get("data", {}).get("text/plain", "")
        texts.append("".join(text))
    return "\n".join(texts)


def sections(notebook: dict) -> list[dict]:
    """The notebook cut at its headings: each part's title, prose, outputs and code."""
    parts = [{"title": "", "prose": "", "outputs": "", "code": ""}]
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            parts[-1]["outputs"] += _outputs(cell) + "\n"
            parts[-1]["code"] += source + "\n"
            continue
        if "solution" in cell.get("metadata", {}).get("tags", []):
            continue
        pieces = HEADING.split(source)  # text, title, text, title, text ...
        for index, piece in enumerate(pieces):
            if index % 2:
                parts.append({"title": piece, "prose": "", "outputs": "", "code": ""})
                continue
            kinds = prose_by_kind(DISPLAY_MATH.sub(" ", piece))
            parts[-1]["prose"] += _uncited(kinds["main"]) + "\n\n" + _uncited(kinds["optional"])
            parts[-1]["prose"] += "\n\n"
    return parts


def unbacked_numbers(notebook: dict) -> list[tuple[str, str]]:
    """(section title, number) for each quoted decimal no output or setting backs."""
    parts = sections(notebook)
    everything = "\n".join(part["outputs"] for part in parts)
    missing = []
    for part in parts:
        backing = part["outputs"] + part["code"]
        if part["title"].strip().lower() == "summary":
            backing += everything
        found = decimals(backing)
        missing += [(part["title"], n) for n in sorted(decimals(part["prose"]) - found)]
    return missing


def _notebook(*cells):
    return {"cells": list(cells)}


def _md(text):
    return {"cell_type": "markdown", "source": text, "metadata": {}}


def _code(source, printed):
    output = {"output_type": "stream", "name": "stdout", "text": printed}
    return {"cell_type": "code", "source": source, "metadata": {}, "outputs": [output]}


def test_a_quoted_number_must_be_printed_in_its_own_section() -> None:
    lab = _notebook(
        _md("## Fit\n\nWith $\\alpha = 2.5$ the cost falls to 0.3904 (Keras 3.15.1)."),
        _code("alpha = 2.5\nprint(cost)", "cost 0.3904\n"),
        _md("## Next\n\nAgain 0.3904, and 0.1234 in a formula: $J = 0.1234$."),
        _code("pass", ""),
        _md("## Summary\n\nThe cost fell to 0.3904."),
    )
    assert unbacked_numbers(lab) == [("Next", "0.1234"), ("Next", "0.3904")]
    lab["cells"][1]["outputs"][0]["text"] = "cost 0.3905\n"  # the output changed
    assert ("Fit", "0.3904") in unbacked_numbers(lab)


def test_code_blocks_solutions_and_cited_numbers_are_not_quotes() -> None:
    text = (
        "## S\n\n```python\nx = 0.75\n```\n\n$$\nJ = 0.25\n$$\n\n"
        "The paper's default is 0.999 {cite:p}`kingma2015adam`.\n\nBut 0.125 is not cited.\n"
    )
    solution = {"cell_type": "markdown", "source": "Here 0.5.", "metadata": {"tags": ["solution"]}}
    assert unbacked_numbers(_notebook(_md(text), solution)) == [("S", "0.125")]


@pytest.mark.parametrize("path", labs(), ids=lambda p: p.stem)
def test_every_quoted_number_is_printed(path) -> None:
    missing = unbacked_numbers(json.loads(path.read_text(encoding="utf-8")))
    assert not missing, f"{path.name}: numbers no output of their section prints: {missing}"


# A code block that a lab introduces as "verbatim from `utils/<module>.py`:" quotes that module:
# its lines, stripped, are consecutive lines of the file. A quote that no longer matches the
# code it names fails here; a block meant as an outline must not claim to be verbatim.
VERBATIM = re.compile(r"verbatim\s+from\s+`(utils/[\w/]+\.py)`:\s*\n\s*```python\n(.*?)```", re.S)


def stale_quotes(notebook: dict, root: Path) -> list[str]:
    """The source paths of the lab's verbatim quotes whose lines the file does not hold."""
    stale = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for path, block in VERBATIM.findall("".join(cell["source"])):
            quoted = [line.strip() for line in block.strip("\n").splitlines()]
            lines = [line.strip() for line in (root / path).read_text("utf-8").splitlines()]
            starts = range(len(lines) - len(quoted) + 1)
            if not any(lines[i : i + len(quoted)] == quoted for i in starts):
                stale.append(path)
    return stale


def test_a_verbatim_quote_must_match_its_file(tmp_path) -> None:
    (tmp_path / "utils").mkdir()
    (tmp_path / "utils" / "m.py").write_text("def f(x):\n    y = x + 1\n    return y\n", "utf-8")
    quote = "verbatim from `utils/m.py`:\n\n```python\ny = x + 1\nreturn y\n```\n"
    assert stale_quotes(_notebook(_md(quote)), tmp_path) == []
    assert stale_quotes(_notebook(_md(quote.replace("+ 1", "+ 2"))), tmp_path) == ["utils/m.py"]


@pytest.mark.parametrize("path", labs(), ids=lambda p: p.stem)
def test_every_verbatim_quote_matches_its_file(path) -> None:
    stale = stale_quotes(json.loads(path.read_text(encoding="utf-8")), ROOT)
    assert not stale, f"{path.name} quotes code these files no longer hold: {stale}"
