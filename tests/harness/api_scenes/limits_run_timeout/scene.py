"""The device-time limit of a run: set per worker and per run from Python; the timeout
error says how to raise it."""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
TASKS = 2000


def chain(out):
    """out += 1, TASKS times in place (each task after the previous one)."""
    graph = tandem.TaskGraph()
    tensor = tandem.Tensor(out)
    for _ in range(TASKS):
        graph.add_task("add_scalar", [(tensor, tandem.Direction.In), (tensor, tandem.Direction.Out)],
                       scalars=[tandem.scalar_f32(1.0), tandem.scalar_i32(64)])
    return graph


def make_worker(ctx, **options):
    worker = tandem.ChipWorker(ctx.provider, **options)
    worker.init()
    worker.register_kernel("add_scalar", tandem.scene_kernel("add_scalar", "vector_example"), "kernel_entry")
    return worker


def run(ctx):
    out = np.zeros(64, dtype=np.float32)
    worker = make_worker(ctx, run_timeout_ms=1)
    try:
        worker.run(chain(out))
        raise AssertionError("a run far past its 1 ms limit passed")
    except RuntimeError as error:
        message = str(error)
    print(message)
    assert "507046" in message and "run_timeout_ms" in message, message

    out[:] = 0
    worker = make_worker(ctx, run_timeout_ms=1)
    worker.run(chain(out), run_timeout_ms=60_000)  # the per-run limit overrides the worker's
    worker.finalize()
    ctx.check("out with a raised per-run limit", out, np.full(64, TASKS, dtype=np.float32))

    out[:] = 0
    worker = make_worker(ctx)  # the default scales with the graph
    worker.run(chain(out))
    worker.finalize()
    ctx.check("out with the default limit", out, np.full(64, TASKS, dtype=np.float32))
