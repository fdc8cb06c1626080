"""L3 post-fork host buffers (ascend-facts, seed scenes).

The worker's chip children exist first; then host buffers are made for a = 5, b = 7 and the
output (0): the 5-task DAG (t0 c = a + b; t1 d = c + 1; t2 e = c + 2; t3 g = d * e;
t4 f = g + c) gives out = (a+b+1)(a+b+2)+(a+b) = 194.

1. buffers created through the worker (shared with the children, zero-copy);
2. the same with ordinary arrays registered after the fork (mirrored around the run);
3. an array neither created through the worker nor registered is rejected before any device
   work, with an error that says how to fix it;
4. two chips run different inputs at once.
"""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L3"

SHAPE = (128, 128)
NBYTES = SHAPE[0] * SHAPE[1] * 4
NAMES = ("a", "b", "c", "d", "e", "g", "f")


def seed_graph(t):
    """The seed DAG over the tensors t["a"] ... t["f"]."""
    In, Out = tandem.Direction.In, tandem.Direction.Out
    n = tandem.scalar_i32(SHAPE[0] * SHAPE[1])  # the vector kernels' last argument: elements per tensor
    graph = tandem.TaskGraph()
    graph.add_task("add", [(t["a"], In), (t["b"], In), (t["c"], Out)], scalars=[n])
    graph.add_task("add_scalar", [(t["c"], In), (t["d"], Out)], scalars=[tandem.scalar_f32(1.0), n])
    graph.add_task("add_scalar", [(t["c"], In), (t["e"], Out)], scalars=[tandem.scalar_f32(2.0), n])
    graph.add_task("mul", [(t["d"], In), (t["e"], In), (t["g"], Out)], scalars=[n])
    graph.add_task("add", [(t["g"], In), (t["c"], In), (t["f"], Out)], scalars=[n])
    return graph


def golden(a, b):
    return np.full(SHAPE, (a + b + 1) * (a + b + 2) + (a + b), dtype=np.float32)


def created_buffers(worker, a, b):
    """One worker buffer holding the seven tensors; returns (tensors, arrays)."""
    buffer = worker.create_buffer(len(NAMES) * NBYTES)
    arrays = {n: buffer.array(np.float32, SHAPE, offset=i * NBYTES) for i, n in enumerate(NAMES)}
    tensors = {n: buffer.tensor(list(SHAPE), np.float32, offset=i * NBYTES) for i, n in enumerate(NAMES)}
    arrays["a"][...] = a
    arrays["b"][...] = b
    return tensors, arrays


def run(ctx):
    first_chip, second_chip = ctx.device, ctx.device + 1
    with tandem.Worker(level=3, device_ids=[first_chip, second_chip], provider=ctx.provider) as worker:
        for kernel in ("add", "add_scalar", "mul"):
            worker.register_kernel(kernel, tandem.scene_kernel(kernel, "vector_example"), "kernel_entry")

        # 1. Created after the fork.
        tensors, arrays = created_buffers(worker, 5.0, 7.0)
        assert not arrays["f"].any()
        worker.run(first_chip, seed_graph(tensors))
        ctx.check("out (created buffers)", arrays["f"], golden(5.0, 7.0))

        # 2. Ordinary arrays registered after the fork.
        host = {n: np.zeros(SHAPE, dtype=np.float32) for n in NAMES}
        host["a"][...] = 5.0
        host["b"][...] = 7.0
        registrations = [worker.register_host_buffer(array) for array in host.values()]
        worker.run(first_chip, seed_graph({n: tandem.Tensor(array) for n, array in host.items()}))
        ctx.check("out (registered buffers)", host["f"], golden(5.0, 7.0))
        for registration in registrations:
            worker.unregister_host_buffer(registration)

        # 3. Neither created nor registered: rejected before any device work.
        stray = {n: np.zeros(SHAPE, dtype=np.float32) for n in NAMES}
        runs_before = worker.device_runs(first_chip)
        try:
            worker.submit(first_chip, seed_graph({n: tandem.Tensor(array) for n, array in stray.items()}))
            raise AssertionError("a submission with unregistered post-fork arrays was accepted")
        except ValueError as error:
            message = str(error)
        assert "create_buffer" in message and "register_host_buffer" in message, message
        assert "before any device work" in message, message
        assert not worker.pending(first_chip) and worker.device_runs(first_chip) == runs_before
        ctx.check("rejected: output untouched", stray["f"], np.zeros(SHAPE, dtype=np.float32))

        # 4. Two chips at once, different inputs.
        first, first_arrays = created_buffers(worker, 5.0, 7.0)
        second, second_arrays = created_buffers(worker, 2.0, 3.0)
        worker.submit(first_chip, seed_graph(first))
        worker.submit(second_chip, seed_graph(second))
        assert worker.pending(first_chip) and worker.pending(second_chip)
        worker.wait(second_chip)
        worker.wait(first_chip)
        ctx.check("out (chip 0, a=5 b=7)", first_arrays["f"], golden(5.0, 7.0))
        ctx.check("out (chip 1, a=2 b=3)", second_arrays["f"], golden(2.0, 3.0))
        assert worker.chip_info(first_chip)["pid"] != worker.chip_info(second_chip)["pid"]
