"""Tensors over contiguous sub-slices of one array (host) and of one device buffer (an
address plus an offset), used without a copy; the bytes around each slice stay untouched.
A strided view is a tensor too; only its own elements are copied back. Reversed views are
refused with what to do instead."""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"

N = 1000          # elements per slice (not a whole number of the kernel's chunks)
OFFSET = 264      # elements before the first slice (a multiple of 8: 32-byte aligned)


def run(ctx):
    assert ctx.case is None and ctx.params == {}, (ctx.case, ctx.params)
    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    worker.register_kernel("add_scalar", tandem.scene_kernel("add_scalar", "vector_example"), "kernel_entry")
    In, Out = tandem.Direction.In, tandem.Direction.Out

    # Host: one array; the input and the output are slices of it at offsets, and a row
    # slice of a 2-D view of the same array.
    host = np.full(4 * OFFSET + 3 * N, -7.0, dtype=np.float32)
    source = host[OFFSET:OFFSET + N]
    source[:] = np.arange(N, dtype=np.float32)
    target = host[2 * OFFSET + N:2 * OFFSET + 2 * N]
    rows = host[:8 * 125 * 2].reshape(16, 125)[9:11]   # two whole rows: contiguous, offset 9 rows in
    expected = host.copy()
    expected[2 * OFFSET + N:2 * OFFSET + 2 * N] = source + 1.5
    graph = tandem.TaskGraph()
    graph.add_task("add_scalar", [(tandem.Tensor(source), In), (tandem.Tensor(target), Out)],
                   scalars=[tandem.scalar_f32(1.5), tandem.scalar_i32(N)])
    worker.run(graph)
    ctx.check("host_slices", host, expected)

    before_rows = host.copy()
    graph = tandem.TaskGraph()
    graph.add_task("add_scalar", [(tandem.Tensor(rows), In), (tandem.Tensor(rows), Out)],
                   scalars=[tandem.scalar_f32(1.0), tandem.scalar_i32(rows.size)])
    worker.run(graph)
    expected_rows = before_rows.copy()
    expected_rows[9 * 125:11 * 125] += 1.0
    ctx.check("host_row_slice", host, expected_rows)

    # Device: one buffer; tensors at address + offset.
    total = 2 * OFFSET + 2 * N
    buffer = worker.malloc(total * 4)
    initial = np.full(total, -7.0, dtype=np.float32)
    initial[OFFSET:OFFSET + N] = np.arange(N, dtype=np.float32) * 2
    worker.copy_to(buffer, initial)
    graph = tandem.TaskGraph()
    graph.add_task("add_scalar",
                   [(tandem.Tensor.device(buffer + OFFSET * 4, [N], tandem.DType.float32), In),
                    (tandem.Tensor.device(buffer + (2 * OFFSET + N) * 4, [N], tandem.DType.float32), Out)],
                   scalars=[tandem.scalar_f32(0.5), tandem.scalar_i32(N)])
    worker.run(graph)
    device = np.zeros(total, dtype=np.float32)
    worker.copy_from(device, buffer)
    expected_device = initial.copy()
    expected_device[2 * OFFSET + N:] = initial[OFFSET:OFFSET + N] + 0.5
    ctx.check("device_offsets", device, expected_device)

    # A slice that runs past the end of the buffer is refused before the run.
    past_end = tandem.Tensor.device(buffer + (total - N // 2) * 4, [N], tandem.DType.float32)
    graph = tandem.TaskGraph()
    graph.add_task("add_scalar", [(tandem.Tensor.device(buffer, [N], tandem.DType.float32), In), (past_end, Out)],
                   scalars=[tandem.scalar_f32(0.5), tandem.scalar_i32(N)])
    try:
        worker.run(graph)
    except ValueError as error:
        assert "runs past the end" in str(error), error
    else:
        raise AssertionError("a device slice past the end of its buffer was accepted")

    # A strided view (a column block of a matrix) is a tensor without a copy: the kernel gets
    # the address of its first element and walks its rows 128 elements apart; only the view's
    # own elements come back to the array.
    worker.register_kernel("add_scalar_rows", ctx.kernel("add_scalar_rows"), "kernel_entry")
    matrix = np.arange(16 * 128, dtype=np.float32).reshape(16, 128)
    block = matrix[:, 64:128]
    before_block = matrix.copy()
    graph = tandem.TaskGraph()
    graph.add_task("add_scalar_rows", [(tandem.Tensor(block), In), (tandem.Tensor(block), Out)],
                   scalars=[tandem.scalar_f32(2.0), tandem.scalar_i32(128)])
    worker.run(graph)
    expected_block = before_block.copy()
    expected_block[:, 64:128] += 2.0
    ctx.check("host_strided_view", matrix, expected_block)

    # The same column block of a matrix in one device buffer: Tensor.device with strides.
    matrix_buffer = worker.malloc(matrix.nbytes)
    worker.copy_to(matrix_buffer, before_block)
    device_block = tandem.Tensor.device(matrix_buffer + 64 * 4, [16, 64], tandem.DType.float32, strides=[128, 1])
    assert "strides [128,1]" in repr(device_block), repr(device_block)
    graph = tandem.TaskGraph()
    graph.add_task("add_scalar_rows", [(device_block, In), (device_block, Out)],
                   scalars=[tandem.scalar_f32(3.0), tandem.scalar_i32(128)])
    worker.run(graph)
    device_matrix = np.zeros_like(matrix)
    worker.copy_from(device_matrix, matrix_buffer)
    expected_device_matrix = before_block.copy()
    expected_device_matrix[:, 64:128] += 3.0
    ctx.check("device_strided_view", device_matrix, expected_device_matrix)

    # A kernel that walks the view with the wrong row stride touches elements the view skips:
    # a modelled fault (the tensor's descriptor carries its strides); the worker stays usable.
    graph = tandem.TaskGraph()
    graph.add_task("add_scalar_rows", [(device_block, In), (device_block, Out)],
                   scalars=[tandem.scalar_f32(3.0), tandem.scalar_i32(100)])
    try:
        worker.run(graph)
    except RuntimeError as error:
        assert "outside every tensor of the task" in str(error), error
    else:
        raise AssertionError("a kernel stepping into the elements a strided view skips was not a fault")

    # A view whose span runs past the end of its buffer is refused before the run.
    past_end = tandem.Tensor.device(matrix_buffer + 65 * 4, [16, 64], tandem.DType.float32, strides=[128, 1])
    graph = tandem.TaskGraph()
    graph.add_task("add_scalar_rows", [(past_end, In), (past_end, Out)],
                   scalars=[tandem.scalar_f32(3.0), tandem.scalar_i32(128)])
    try:
        worker.run(graph)
    except ValueError as error:
        assert "runs past the end" in str(error), error
    else:
        raise AssertionError("a strided device view past the end of its buffer was accepted")
    worker.free(matrix_buffer)

    # A reversed view has a negative stride: refused, naming the fix.
    try:
        tandem.Tensor(host[::-1])
    except ValueError as error:
        assert "ascontiguousarray" in str(error), error
    else:
        raise AssertionError("a reversed view was accepted")
    worker.free(buffer)
    worker.finalize()
