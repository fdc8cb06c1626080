"""Quantized GEMM on both core types: C[b] = (A[b] @ B[b]) * scale[b], A and B int8, C float32.

Each batch's C is a 2 x 2 grid of 64 x 64 tiles over K = 128. One AIC task per (batch, tile)
multiplies A's row block by B's column block on the cube with int32 accumulation
(kernels/cube/int8_product.cpp: TLOAD of int8 into L1, TEXTRACT into L0A/L0B, TMATMUL, TSTORE of
the int32 Acc tile through the FIX pipe); one AIV task per tile converts the int32 product to
float32 and applies the batch's scale (kernels/dequantize.cpp: TCVT, TMULS). The tensors are int8
numpy arrays handed to the runtime as they are; the early tiles' dequantization runs on the
vector cores while the cube cores still compute later batches' products.
"""
import numpy as np
import tandem

ARCHES = ["a2a3", "a5"]
LEVEL = "L2"
TIMING_BAND = 0.25

TILE, K = 64, 128  # the kernels' tile and K
BATCH, M, N = 12, 128, 128  # 48 products: more than either arch has AIC cores (24, 36)


def run(ctx):
    rng = np.random.default_rng(5)
    a = rng.integers(-128, 128, (BATCH, M, K), dtype=np.int8)
    b = rng.integers(-128, 128, (BATCH, K, N), dtype=np.int8)
    scales = rng.uniform(1e-4, 1e-3, BATCH).astype(np.float32)
    products = np.zeros((BATCH, M // TILE, N // TILE, TILE, TILE), dtype=np.int32)
    c = np.zeros((BATCH, M, N), dtype=np.float32)

    worker = tandem.ChipWorker(ctx.provider)
    worker.init(ctx.device)
    worker.register_kernel("int8_product", ctx.kernel("int8_product"), "kernel_entry", core="aic")
    worker.register_kernel("dequantize", ctx.kernel("dequantize"), "kernel_entry")
    In, Out = tandem.Direction.In, tandem.Direction.Out
    i32 = tandem.scalar_i32
    graph = tandem.TaskGraph()
    for batch in range(BATCH):
        for i in range(M // TILE):
            for j in range(N // TILE):
                product = tandem.Tensor(products[batch, i, j])
                graph.add_task("int8_product",
                               [(tandem.Tensor(a[batch, i * TILE:(i + 1) * TILE]), In), (tandem.Tensor(b[batch]), In),
                                (product, Out)],
                               scalars=[i32(0), i32(j * TILE), i32(N)])
                graph.add_task("dequantize",
                               [(product, In), (tandem.Tensor(c[batch, i * TILE:(i + 1) * TILE]), Out)],
                               scalars=[tandem.scalar_f32(float(scales[batch])), i32(j * TILE), i32(N)])
    timeline = worker.run(graph)
    worker.finalize()

    # int8 products are exact in int32 and below 2^24, so exact in float32; one float32 multiply.
    exact = np.matmul(a.astype(np.int32), b.astype(np.int32))
    ctx.check("products", products.transpose(0, 1, 3, 2, 4).reshape(BATCH, M, N), exact, rtol=0, atol=0)
    ctx.check("c", c, exact.astype(np.float32) * scales[:, None, None], rtol=0, atol=0)

    cube = [task for task in timeline if task["core_type"] == "aic"]
    vector = [task for task in timeline if task["core_type"] == "aiv"]
    assert len(cube) == len(vector) == BATCH * (M // TILE) * (N // TILE), timeline
    overlap = any(v["start_ns"] < p["end_ns"] and p["start_ns"] < v["end_ns"] for v in vector for p in cube)
    assert overlap, (f"no AIV dequantization overlaps an AIC product: products {min(p['start_ns'] for p in cube)}.."
                     f"{max(p['end_ns'] for p in cube)} ns, dequantizations from {min(v['start_ns'] for v in vector)} ns")
