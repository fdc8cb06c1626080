"""register_kernel's core type from Python: a cube kernel registered with core="aic" runs on an AIC
core through ChipWorker and through an L3 Worker (its timeline says "aic"); a core type that is
neither "aiv" nor "aic" is a ValueError naming both; vector-core code registered as cube code is
refused naming the magic."""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L3"


def product_graph(a, b, out):
    In, Out = tandem.Direction.In, tandem.Direction.Out
    graph = tandem.TaskGraph()
    graph.add_task("partial_product", [(a, In), (b, In), (out, Out)],
                   scalars=[tandem.scalar_i32(v) for v in (0, 0, 0, 128, 64)])  # row, col, chunk, k, n
    return graph


def run(ctx):
    product = tandem.scene_kernel("partial_product", "tiled_gemm")
    rng = np.random.default_rng(3)
    a = rng.uniform(-1, 1, (64, 128)).astype(np.float16)
    b = rng.uniform(-1, 1, (128, 64)).astype(np.float16)
    golden = a.astype(np.float64) @ b.astype(np.float64)

    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    refusals = []
    for core, error in (("gpu", ValueError), ("aic", RuntimeError)):
        try:
            worker.register_kernel("refused", tandem.scene_kernel("add", "vector_example"), "kernel_entry", core=core)
        except error as refusal:
            refusals.append(str(refusal))
    worker.register_kernel("partial_product", product, "kernel_entry", core="aic")
    out = np.zeros((64, 64), dtype=np.float32)
    timeline = worker.run(product_graph(tandem.Tensor(a), tandem.Tensor(b), tandem.Tensor(out)))
    worker.finalize()
    ctx.check("L2 product", out, golden, rtol=1e-4, atol=1e-4)
    assert [task["core_type"] for task in timeline] == ["aic"], timeline

    with tandem.Worker(level=3, device_ids=[ctx.device], provider=ctx.provider) as l3:
        l3.register_kernel("partial_product", product, "kernel_entry", core="aic")
        buffers = [l3.create_buffer(nbytes) for nbytes in (a.nbytes, b.nbytes, out.nbytes)]
        buffers[0].array(np.float16, [64, 128])[:] = a
        buffers[1].array(np.float16, [128, 64])[:] = b
        tensors = [buffers[0].tensor([64, 128], tandem.DType.float16), buffers[1].tensor([128, 64], tandem.DType.float16),
                   buffers[2].tensor([64, 64], tandem.DType.float32)]
        l3_timeline = l3.run(ctx.device, product_graph(*tensors))
        ctx.check("L3 product", buffers[2].array(np.float32, [64, 64]), golden, rtol=1e-4, atol=1e-4)
    assert [task["core_type"] for task in l3_timeline] == ["aic"], l3_timeline

    assert len(refusals) == 2, refusals
    assert "core 'gpu' is none of \"aiv\" (vector core), \"aic\" (cube core) and \"mix\"" in refusals[0], refusals[0]
    assert "ACL_RT_BINARY_MAGIC_ELF_CUBE_CORE" in refusals[1], refusals[1]
