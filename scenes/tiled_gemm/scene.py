"""Tiled batched GEMM on both core types: C[b] = A[b] @ B[b] (float16 in, float32 out).

Each batch's C is a grid of 64 x 64 tiles and K is split into chunks. One AIC task per
(batch, tile, K chunk) computes the partial product of A's row block and B's column block
over its chunk on the cube (kernels/cube/partial_product.cpp: TLOAD into L1, TEXTRACT into
L0A/L0B, TMATMUL with float32 accumulation, TSTORE through the FIX pipe); one AIV task per
(batch, row block) adds a row block's partials and writes its 64 rows of C
(kernels/accumulate.cpp). The row blocks' additions run on the vector cores while the cube
cores already compute later batches' products.
"""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
TIMING_BAND = 0.25

TILE, K_CHUNK = 64, 128  # kernels/cube/partial_product.cpp's tile and K chunk
# Each case has more products (48) than either arch has AIC cores (24, 36), so the products of
# the last batches still run when the first row blocks' additions start.
CASES = {
    "small": {"batch": 6, "m": 128, "n": 128, "k": 256},
    "deep_k": {"batch": 4, "m": 64, "n": 192, "k": 512},
}


def run(ctx):
    batch, m, n, k = (ctx.params[name] for name in ("batch", "m", "n", "k"))
    tiles_i, tiles_j, k_chunks = m // TILE, n // TILE, k // K_CHUNK
    rng = np.random.default_rng(11)
    a = rng.uniform(-1, 1, (batch, m, k)).astype(np.float16)
    b = rng.uniform(-1, 1, (batch, k, n)).astype(np.float16)
    partials = np.zeros((batch, tiles_i, tiles_j, k_chunks, TILE, TILE), dtype=np.float32)
    c = np.zeros((batch, m, n), dtype=np.float32)

    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    worker.register_kernel("partial_product", ctx.kernel("partial_product"), "kernel_entry", core="aic")
    worker.register_kernel("accumulate", ctx.kernel("accumulate"), "kernel_entry")
    In, Out = tandem.Direction.In, tandem.Direction.Out
    i32 = tandem.scalar_i32
    graph = tandem.TaskGraph()
    for batch_index in range(batch):
        for i in range(tiles_i):
            for j in range(tiles_j):
                for chunk in range(k_chunks):
                    graph.add_task("partial_product",
                                   [(tandem.Tensor(a[batch_index]), In), (tandem.Tensor(b[batch_index]), In),
                                    (tandem.Tensor(partials[batch_index, i, j, chunk]), Out)],
                                   scalars=[i32(i * TILE), i32(j * TILE), i32(chunk * K_CHUNK), i32(k), i32(n)])
            graph.add_task("accumulate",
                           [(tandem.Tensor(partials[batch_index, i]), In),
                            (tandem.Tensor(c[batch_index, i * TILE:(i + 1) * TILE]), Out)],
                           scalars=[i32(tiles_j), i32(k_chunks), i32(n)])
    timeline = worker.run(graph)
    worker.finalize()

    # The cube multiplies float16 exactly and accumulates in float32: compare with a float64
    # product within float32 accumulation error over k terms.
    golden = np.matmul(a.astype(np.float64), b.astype(np.float64))
    ctx.check("c", c, golden, rtol=1e-5, atol=1e-5 * np.sqrt(k))

    cube = [task for task in timeline if task["core_type"] == "aic"]
    vector = [task for task in timeline if task["core_type"] == "aiv"]
    assert len(cube) == batch * tiles_i * tiles_j * k_chunks and len(vector) == batch * tiles_i, timeline
    assert all(task["kernel"] == "partial_product" for task in cube), timeline
    # Products spread over the cube cores, and some addition overlaps some product in time.
    assert len({task["core"] for task in cube}) > 1, cube
    overlap = any(v["start_ns"] < p["end_ns"] and p["start_ns"] < v["end_ns"] for v in vector for p in cube)
    assert overlap, (f"no AIV addition overlaps an AIC product: products {min(p['start_ns'] for p in cube)}.."
                     f"{max(p['end_ns'] for p in cube)} ns, additions from {min(v['start_ns'] for v in vector)} ns")
