"""validation.as_instances: the one check of a non-empty list of layers (Network's layers,
ConvNetwork's conv_layers)."""

import numpy as np
import pytest

from utils import validation
from utils.convolution import ConvLayer, ConvNetwork
from utils.network import Layer, Network


def test_as_instances_returns_a_list():
    layers = (Layer(2), Layer(1))
    assert validation.as_instances("layers", layers, Layer, "Layer") == list(layers)


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda: Network(2, []), "layers must be a non-empty list of Layer(units, activation)"),
        (lambda: Network(2, [Layer(2), "relu"]), "layers[1] is str"),
        (lambda: ConvNetwork(12, (), Layer(1)), "conv_layers must be a non-empty list"),
        (lambda: ConvNetwork(12, [ConvLayer(2, 3), 4], Layer(1)), "conv_layers[1] is int"),
    ],
)
def test_both_models_refuse_a_bad_layer_list_the_same_way(make, fragment):
    with pytest.raises(TypeError) as info:
        make()
    assert fragment in str(info.value)


BAD_INPUT = {
    "validation.as_instances": [
        (
            lambda: validation.as_instances("q", [np.ones(2)], Layer, "Layer"),
            TypeError,
            "q must be a non-empty list of Layer, q[0] is ndarray",
        )
    ],
}
