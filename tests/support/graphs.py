"""The lecture's computation graphs with their inputs, as the graph and plot tests use them."""

from utils import computation_graph as graph

UNIT = {"x": -2.0, "w": 2.0, "b": 8.0, "y": 2.0}  # the lecture's numbers


GRAPHS = {
    "square": (graph.SQUARE_GRAPH, {"w": 3.0}),
    "one_unit": (graph.ONE_UNIT_GRAPH, UNIT),
    "sigmoid_unit": (graph.SIGMOID_UNIT_GRAPH, UNIT),
    # a node used twice (J = c * c with c = w + w): backward must add both paths
    "shared_node": ((("c", "add", ("w", "w")), ("J", "mul", ("c", "c"))), {"w": 1.5, "u": 4.0}),
    "two_layer_relu": (
        graph.TWO_LAYER_RELU_GRAPH,
        {"x": 1.0, "y": 5.0, "w1": 2.0, "b1": 0.0, "w2": 3.0, "b2": 1.0},
    ),
    "relu_off": (graph.TWO_LAYER_RELU_GRAPH,
                 {"x": 1.0, "y": 5.0, "w1": -2.0, "b1": 0.5, "w2": 3.0, "b2": 1.0}),
}
