"""TaskGraph.add_task says which argument is wrong and how to give it, instead of pybind11's
"incompatible function arguments" with the whole signature; arguments that convert (numpy
integers as scalars or indices, a list as a pair) are taken as before."""
import numpy as np
import tandem

ARCHES = ["a2a3"]
LEVEL = "L2"


def run(ctx):
    In = tandem.Direction.In
    array = np.zeros(8, dtype=np.float32)
    tensor = tandem.Tensor(array)
    graph = tandem.TaskGraph()
    refused = {
        "tensors[0][1] must be tandem.Direction.In, .Out or .InOut, got 5": lambda: graph.add_task("k", [(tensor, 5)]),
        "tensors[0] is a tensor alone: give its direction": lambda: graph.add_task("k", [tensor]),
        "tensors[1] is a numpy array: wrap it and give its direction": lambda: graph.add_task("k", [(tensor, In), array]),
        "tensors[0][0] is a numpy array: wrap it, tandem.Tensor(array)": lambda: graph.add_task("k", [(array, In)]),
        "tensors[0] must be a (tandem.Tensor, tandem.Direction) pair, got tuple of 3":
            lambda: graph.add_task("k", [(tensor, In, 3)]),
        "scalars[1] is -1: scalars (8-byte words) are from 0 to 2^64 - 1; give a value as its word: "
        "tandem.scalar_i32(-1)": lambda: graph.add_task("k", [(tensor, In)], scalars=[1, -1]),
        "scalars[0] is 1.5: scalars (8-byte words) are integers":
            lambda: graph.add_task("k", [(tensor, In)], scalars=[1.5]),
        "scalars[0] is 18446744073709551616": lambda: graph.add_task("k", [(tensor, In)], scalars=[2**64]),
        "after[0] is -1: task indices are from 0 to 2^32 - 1": lambda: graph.add_task("k", [], after=[-1]),
        # A numpy integer elsewhere does not hide the argument that is wrong.
        "after[0] is -2": lambda: graph.add_task("k", [(tensor, In)], scalars=[np.int64(5)], after=[-2]),
        "kernel must be the name a kernel was registered under (a str), got int": lambda: graph.add_task(3, []),
        "tensors must be a list of (tandem.Tensor, tandem.Direction) pairs, got Tensor":
            lambda: graph.add_task("k", tensor),
    }
    for expected, call in refused.items():
        try:
            call()
        except TypeError as error:
            assert str(error).startswith("TaskGraph.add_task: ") and expected in str(error), (expected, str(error))
        else:
            raise AssertionError(f"not refused: {expected}")
    assert graph.size == 0, graph.size
    taken = [graph.add_task("k", [(tensor, In)], scalars=[np.int64(5), np.uint64(2**63)]),
             graph.add_task("k", [[tensor, In]], after=[np.int32(0)]),
             graph.add_task("k", [(tensor, In)], scalars=[tandem.scalar_i32(-1)])]
    assert taken == [0, 1, 2], taken
    ctx.check("taken", np.array(taken), np.array([0, 1, 2]))
