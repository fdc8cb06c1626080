"""Tensors of every element type numpy shares with PTO's tiles (float32, float16, int8..int64,
uint8..uint64; bfloat16 as its uint16 bits) are staged, run and copied back; other dtypes and
foreign byte orders are refused with the list of what is taken."""
import numpy as np
import tandem

ARCHES = ["a2a3"]
LEVEL = "L2"

TYPES = ["float32", "float16", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]


def run(ctx):
    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    worker.register_kernel("increment_bytes", ctx.kernel("increment_bytes"), "kernel_entry")
    graph = tandem.TaskGraph()
    arrays = []
    for index, name in enumerate(TYPES):
        array = (np.arange(24, dtype=np.uint8) * 37 + index).view(name).copy()
        arrays.append((name, array, array.copy()))
        tensor = tandem.Tensor(array)
        assert tensor.dtype == getattr(tandem.DType, name), (name, tensor.dtype)
        graph.add_task("increment_bytes", [(tensor, tandem.Direction.InOut)], scalars=[array.nbytes])
    worker.run(graph)
    worker.finalize()
    for name, array, before in arrays:
        ctx.check(name, array.view(np.uint8), before.view(np.uint8) + np.uint8(1))
    for refused in (np.zeros(4, np.float64), np.zeros(4, ">u2"), np.zeros(4, bool)):
        try:
            tandem.Tensor(refused)
        except TypeError as error:
            assert "unsupported numpy dtype" in str(error) and "uint8/16/32/64" in str(error), str(error)
        else:
            raise AssertionError(f"not refused: {refused.dtype}")
