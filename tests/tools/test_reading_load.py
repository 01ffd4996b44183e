"""tools.reading_load counts what a reader meets: prose, not code, maths or collapsed boxes."""


from tools.reading_load import count_words, measure, prose_by_kind

CELL = """## Softmax

The softmax turns $N$ logits into probabilities: `softmax(z)` {cite:p}`bishop`.

$$
a_j = \\frac{e^{z_j}}{\\sum_k e^{z_k}}
$$

```python
print("code is not prose")
```

````{admonition} Optional: the Jacobian
:class: dropdown

Four words in here.

```python
ignored = True
```
````

```{exercise} Write softmax
:label: lab3-softmax

Two words.
```

```{solution} lab3-softmax
:class: dropdown

Three more words.
```
"""


def test_prose_is_split_by_kind() -> None:
    kinds = prose_by_kind(CELL)
    assert "code is not prose" not in kinds["main"]
    assert "ignored" not in kinds["optional"]
    assert count_words(kinds["optional"]) == 7  # "Optional: the Jacobian" + "Four words in here."
    assert count_words(kinds["solution"]) == 3
    assert "Two words." in kinds["main"] and "Write softmax" in kinds["main"]
    assert ":label:" not in kinds["main"]


def test_formulas_code_and_roles_count_one_word_each() -> None:
    assert count_words("The softmax turns $N$ logits: `softmax(z)` {cite:p}`bishop`.") == 7
    assert count_words("$$\na = b + c\n$$") == 0
    assert count_words("see [the book](https://example.org/a/b)") == 3


def _notebook(*cells):
    return {"cells": list(cells)}


def _md(text, tags=()):
    return {"cell_type": "markdown", "source": text, "metadata": {"tags": list(tags)}}


def _code(source, *texts, figure=False):
    outputs = [{"output_type": "stream", "name": "stdout", "text": t} for t in texts]
    if figure:
        outputs.append({"output_type": "display_data", "data": {"image/png": "x"}})
    return {"cell_type": "code", "source": source, "metadata": {}, "outputs": outputs}


def test_agreements_are_counted_per_section_and_plot_cells_by_code_lines() -> None:
    line = "same weights (max |difference| <= 1e-12): True\n"
    load = measure(
        _notebook(
            _md("## One"),
            _code("a = 1", line),
            _code("b = 2", line + line),
            _md("## Two"),
            _code("# a comment\nplt.plot(x)\n\nplt.show()", figure=True),
            _code("x" * 81, "y" * 90),
            _md("A solution.", tags=["solution"]),
        )
    )
    assert load.max_agreements_per_section == 3
    assert load.longest_plot_cell == 2
    assert load.widest_code_line == 81 and load.widest_output_line == 90
    assert load.solution_words == 2 and load.main_words == 2
