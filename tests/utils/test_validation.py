"""The input checks every module shares, on valid input: what they return. (Their refusals
are among the bad-input cases, tests/support/bad_input_messages.py.)"""

import numpy as np
import pytest

from utils import validation
from utils.convolution import ConvLayer, ConvNetwork
from utils.network import Layer, Network


def test_float_arrays_keep_float32_and_make_the_rest_float64():
    assert validation.as_float_array("x", [1, 2]).dtype == np.float64
    assert validation.as_float_array("x", np.array([True, False])).dtype == np.float64
    assert validation.as_float_array("x", np.ones(2, np.float16)).dtype == np.float64
    kept = np.ones((2, 3), np.float32)
    assert validation.as_float_array("x", kept, ndim=(1, 2)) is kept
    assert np.isnan(validation.as_float_array("x", [np.nan], finite=False)[0])
    arrays = validation.as_array_list("grads", (np.ones(2, np.float32), [1, 2]))
    assert [a.dtype for a in arrays] == [np.float32, np.float64]


def test_common_float_is_float64_when_any_array_is():
    a32, a64 = np.ones(2, np.float32), np.ones(3)
    assert [a.dtype for a in validation.common_float(a32, a64)] == [np.float64, np.float64]
    assert [a.dtype for a in validation.common_float(a32, a32)] == [np.float32, np.float32]
    y, p = validation.matching_arrays("y", [[1.0]], "p", np.full((1, 1), 0.5, np.float32))
    assert y.dtype == p.dtype == np.float64 and p.shape == (1, 1)


def test_labels_are_squeezed_to_integers():
    labels = validation.as_labels("y", [[0.0], [2.0], [1.0]], 3)
    assert labels.dtype == np.int64 and labels.tolist() == [0, 2, 1]
    y, out = validation.labels_for_rows("y", [1, 0], "scores", np.eye(2))
    assert y.tolist() == [1, 0] and out.shape == (2, 2)
    x = np.array([0.0, 0.5, 1.0])
    assert validation.in_unit_interval("p", x) is x
    assert validation.same_shape("a", x, "b", x) is None


@pytest.mark.parametrize("value", [0.5, np.float32(0.5), np.array(0.5)])
def test_numpy_and_python_numbers_become_python_floats(value):
    out = validation.as_number("alpha", value, above=0, at_most=1)
    assert type(out) is float and out == 0.5


def test_integers_seeds_and_flags_become_python_values():
    assert validation.as_int("n", np.int64(3), at_least=3, at_most=3) == 3
    assert type(validation.positive_int("epochs", np.int32(2))) is int
    assert validation.as_seed("seed", None) is None and validation.as_seed("seed", 0) == 0
    assert validation.as_bool("shuffle", np.bool_(True)) is True


def test_dtypes_generators_choices_and_callables_pass_through():
    assert validation.as_float_dtype("dtype", "float32") == np.float32
    assert validation.as_float_dtype("dtype", np.float64) == np.float64
    rng = np.random.default_rng(0)
    assert validation.as_generator("rng", rng) is rng
    assert validation.as_choice("loss", "b", ("a", "b")) == "b"
    assert validation.as_callable("f", abs, "a function") is abs


# -- validation.as_instances: the one check of a non-empty list of layers (Network's layers,


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
