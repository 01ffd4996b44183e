"""The by-hand code in view: show_source displays a function's real source."""

import inspect

from utils import losses, network
from utils.source import Source, show_source


def test_the_source_shown_is_the_module_text():
    shown = show_source(losses.binary_crossentropy)
    assert isinstance(shown, Source) and shown.name == "binary_crossentropy"
    assert repr(shown) == inspect.getsource(losses.binary_crossentropy).rstrip("\n")
    assert repr(shown).startswith("def binary_crossentropy(")


def test_methods_are_dedented_and_markdown_is_a_python_block():
    shown = show_source(network.Network._backward)
    assert repr(shown).startswith("def _backward(self")
    assert shown._repr_markdown_() == f"```python\n{shown.text}\n```"
    bound = network.Network(n_inputs=2, layers=[network.Layer(1, "sigmoid")], seed=0)
    assert show_source(bound.predict).text == show_source(network.Network.predict).text
