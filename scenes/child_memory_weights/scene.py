"""child_memory weights (ascend-facts, seed scenes), on an L3 worker with one chip.

a = 2 on the host; the weight w = 3 is allocated in device memory and copied there once. The
5-task DAG (t0 c = a + w; t1 d = c + 1; t2 e = c + 2; t3 g = d * e; t4 f = g + c) runs twice
with (a, w) into f1 and f2: both are 47 and byte-identical (a weight freed or copied again
after the first run would show). The weight may only be used on the chip that allocated it.

Second case: a child_memory weight as the FIRST tensor of a task, ahead of the outputs
(sum = x + w, product = x * w): each output must land in its own host tensor, whatever the
position of the device-resident argument.
"""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L3"

SHAPE = (128, 128)
NBYTES = SHAPE[0] * SHAPE[1] * 4


def seed_graph(a, b, scratch, f):
    """The seed DAG: a, b and f are tensors; c, d, e, g are views of the worker buffer `scratch`."""
    In, Out = tandem.Direction.In, tandem.Direction.Out
    c, d, e, g = (scratch.tensor(list(SHAPE), np.float32, offset=i * NBYTES) for i in range(4))
    n = tandem.scalar_i32(SHAPE[0] * SHAPE[1])  # the vector kernels' last argument: elements per tensor
    graph = tandem.TaskGraph()
    graph.add_task("add", [(a, In), (b, In), (c, Out)], scalars=[n])
    graph.add_task("add_scalar", [(c, In), (d, Out)], scalars=[tandem.scalar_f32(1.0), n])
    graph.add_task("add_scalar", [(c, In), (e, Out)], scalars=[tandem.scalar_f32(2.0), n])
    graph.add_task("mul", [(d, In), (e, In), (g, Out)], scalars=[n])
    graph.add_task("add", [(g, In), (c, In), (f, Out)], scalars=[n])
    return graph


def run(ctx):
    device = ctx.device
    with tandem.Worker(level=3, device_ids=[device], provider=ctx.provider) as worker:
        for kernel in ("add", "add_scalar", "mul"):  # the vector_example scene's PTO kernels
            worker.register_kernel(kernel, tandem.scene_kernel(kernel, "vector_example"), "kernel_entry")
        worker.register_kernel("weighted", ctx.kernel("weighted"), "kernel_entry")

        # Host tensors made after the fork live in one worker buffer (shared with the chip child).
        buffer = worker.create_buffer(5 * NBYTES)
        a, f1, f2, x = (buffer.array(np.float32, SHAPE, offset=i * NBYTES) for i in range(4))
        a[...] = 2.0
        x[...] = 5.0

        weight = worker.malloc(device, NBYTES)
        worker.copy_to(device, weight, np.full(SHAPE, 3.0, dtype=np.float32))   # once
        w = tandem.Tensor.device(weight, list(SHAPE), tandem.DType.float32)
        assert "child_memory" in repr(w), repr(w)

        # The chip child sees host memory made after the fork only in worker buffers (or registered).
        scratch = worker.create_buffer(4 * NBYTES)
        for f in (f1, f2):
            worker.run(device, seed_graph(tandem.Tensor(a), w, scratch, tandem.Tensor(f)))
        ctx.check("f1", f1, np.full(SHAPE, 47.0, dtype=np.float32))
        ctx.check("f2", f2, np.full(SHAPE, 47.0, dtype=np.float32))
        assert f1.tobytes() == f2.tobytes(), "f1 and f2 differ: the weight changed between the runs"

        # The weight first, ahead of the outputs: each output in its own host tensor.
        sums, products = (buffer.array(np.float32, SHAPE, offset=NBYTES * 4), np.zeros(SHAPE, dtype=np.float32))
        products_buffer = worker.register_host_buffer(products)
        graph = tandem.TaskGraph()
        graph.add_task("weighted", [(w, tandem.Direction.In), (tandem.Tensor(x), tandem.Direction.In),
                                    (tandem.Tensor(sums), tandem.Direction.Out),
                                    (tandem.Tensor(products), tandem.Direction.Out)],
                       scalars=[tandem.scalar_i32(SHAPE[0] * SHAPE[1])])
        worker.run(device, graph)
        ctx.check("sum (weight first)", sums, x + 3.0)
        ctx.check("product (weight first)", products, x * 3.0)
        worker.unregister_host_buffer(products_buffer)

        back = np.zeros(SHAPE, dtype=np.float32)
        worker.copy_from(device, back, weight)
        ctx.check("weight untouched", back, np.full(SHAPE, 3.0, dtype=np.float32))
        worker.free(device, weight)
