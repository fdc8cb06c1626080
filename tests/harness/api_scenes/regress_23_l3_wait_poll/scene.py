"""Worker.wait(dev, timeout_ms=0) polls and a negative timeout is refused, both leaving the
chip child alive; a submission too big for the mailbox names the Python way to enlarge it,
and that way works."""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L3"
TASKS = 200


def chain(buffer):
    """out += 1, TASKS times in place (each task after the previous one)."""
    out = buffer.tensor([64], np.float32)
    graph = tandem.TaskGraph()
    for _ in range(TASKS):
        graph.add_task("add_scalar", [(out, tandem.Direction.In), (out, tandem.Direction.Out)],
                       scalars=[tandem.scalar_f32(1.0), tandem.scalar_i32(64)])
    return graph


def make_worker(ctx, **options):
    worker = tandem.Worker(level=3, device_ids=[ctx.device], provider=ctx.provider, **options)
    worker.register_kernel("add_scalar", tandem.scene_kernel("add_scalar", "vector_example"), "kernel_entry")
    return worker


def run(ctx):
    with make_worker(ctx, mailbox_bytes=4096) as small:
        buffer = small.create_buffer(256)
        try:
            small.submit(ctx.device, chain(buffer))
            raise AssertionError("a submission bigger than the mailbox was accepted")
        except ValueError as error:
            assert "Worker(..., mailbox_bytes=" in str(error), error

    with make_worker(ctx, mailbox_bytes=1 << 20) as worker:
        buffer = worker.create_buffer(256)
        out = buffer.array(np.float32, [64])
        worker.submit(ctx.device, chain(buffer))
        try:
            worker.wait(ctx.device, timeout_ms=-5)
            raise AssertionError("a negative timeout was accepted")
        except ValueError as error:
            assert "-5" in str(error), error
        polls = 0
        timeline = None
        while timeline is None:
            timeline = worker.wait(ctx.device, timeout_ms=0)
            polls += 1
        print(f"{polls} polls")
        assert len(timeline) == TASKS and not worker.pending(ctx.device)
        ctx.check("out after polling", out, np.full(64, TASKS, dtype=np.float32))
        # The child is alive: a second run works.
        worker.run(ctx.device, chain(buffer))
        ctx.check("out after a second run", out, np.full(64, 2 * TASKS, dtype=np.float32))
