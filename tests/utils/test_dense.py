"""Dense layers: the forward pass by matrix product, by loop and in Keras agree."""

from tests.support.numerics import TOL64, max_diff
from utils.dense import dense_forward, dense_forward_keras, dense_forward_loop


def test_dense_loop_equals_matmul_and_keras(rng):
    A, W, b = rng.normal(size=(6, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    Z, out = dense_forward(A, W, b, "relu")
    assert max_diff(out, dense_forward_loop(A, W, b, "relu")) <= TOL64
    assert max_diff(out, dense_forward_keras(A, W, b, "relu")) <= TOL64
    assert max_diff(Z, A @ W + b) == 0
