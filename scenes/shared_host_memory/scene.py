"""Shared host memory (ascend-facts, seed scenes): pinned host memory mapped into the device
holds 0, 1, ..., 16383 (float32). One AIV task loads it, adds 1, stores the result back into
the mapped host memory and into a normal output. Afterwards the host's own buffer reads
1 ... 16384 without any copy, and the output equals input + 1.

Second case: the same kernel with its data in device memory (GM) instead, to report what the
host link costs (simulated time of the task).

Mapped host memory needs aclrtHostRegister, which CANN does not support on a5 (950-class
SoCs): the scene is skipped there (NEEDS).
"""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
NEEDS = ["host_register"]   # CANN has no aclrtHostRegister on a5: skipped there

SHAPE = (128, 128)
ELEMENTS = SHAPE[0] * SHAPE[1]


def note(ctx, text):
    """Into the results if the context records notes, else the log."""
    if hasattr(ctx, "note"):
        ctx.note(text)
    else:
        print(text)


def add_one_graph(shared, out):
    graph = tandem.TaskGraph()
    # The kernel's last argument: the element count.
    graph.add_task("add_one_shared", [(shared, tandem.Direction.InOut), (tandem.Tensor(out), tandem.Direction.Out)],
                   scalars=[tandem.scalar_i32(ELEMENTS)])
    return graph


def task_ns(timeline):
    return timeline[0]["end_ns"] - timeline[0]["start_ns"]


def run(ctx):
    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    worker.register_kernel("add_one_shared", ctx.kernel("add_one_shared"), "kernel_entry")

    # Case 1: in place in mapped host memory.
    shared = worker.alloc_shared_host(ELEMENTS * 4)
    host = shared.array(np.float32, SHAPE)           # the host's own view: no copy
    host[...] = np.arange(ELEMENTS, dtype=np.float32).reshape(SHAPE)
    golden_in = host.copy()
    out = np.zeros(SHAPE, dtype=np.float32)
    mapped = worker.run(add_one_graph(shared.tensor(SHAPE, np.float32), out))
    ctx.check("mapped host buffer", host, golden_in + 1)   # 1 ... 16384, read in place
    ctx.check("output", out, golden_in + 1)
    del host
    worker.free_shared_host(shared)

    # Case 2: the same kernel on device memory (the run stages the tensor in GM).
    in_gm = golden_in.copy()
    out_gm = np.zeros(SHAPE, dtype=np.float32)
    gm = worker.run(add_one_graph(tandem.Tensor(in_gm), out_gm))
    worker.finalize()
    ctx.check("output (GM)", out_gm, golden_in + 1)
    ctx.check("in place (GM)", in_gm, golden_in + 1)

    mapped_ns, gm_ns = task_ns(mapped), task_ns(gm)
    note(ctx, f"{ctx.arch}: add_one_shared on mapped host memory {mapped_ns} ns, on GM {gm_ns} ns "
              f"(+{mapped_ns - gm_ns} ns across the host link)")
    assert mapped_ns > gm_ns, (mapped_ns, gm_ns)
